package dev.slice.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * How long each step of a server's job usually takes on a backend: the median of its last {@value #RECENT} finished
 * runs in the last 30 days, once it has run at least {@value #AT_LEAST} times. A step that waits a minute (a QEMU guest's first boot) then
 * says so while it runs, instead of a spinner with nothing to go by. Read at most once a minute per backend: the
 * figure moves slowly and the job pages poll every second.
 */
@Service
public class StepTimes {
    static final int RECENT = 20;
    static final int AT_LEAST = 3;
    private static final Duration FRESH_FOR = Duration.ofMinutes(1);
    /** Only recent history: a node upgraded or a template rebuilt changes the figure. */
    private static final Duration WITHIN = Duration.ofDays(30);

    private record Reading(Instant at, Map<Step, Duration> typical) {}

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, Reading> byBackend = new ConcurrentHashMap<>();

    public StepTimes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The usual duration of each step that has run often enough on {@code backend} (e.g. "qemu"). */
    public Map<Step, Duration> typical(String backend) {
        Instant now = clock.instant();
        Reading reading = byBackend.get(backend);
        if (reading == null || reading.at().plus(FRESH_FOR).isBefore(now)) {
            reading = new Reading(now, read(backend));
            byBackend.put(backend, reading);
        }
        return reading.typical();
    }

    private Map<Step, Duration> read(String backend) {
        Map<Step, Duration> typical = new EnumMap<>(Step.class);
        jdbc.sql("""
                select name, percentile_cont(0.5) within group (order by seconds) as median
                from (select s.name, extract(epoch from s.finished_at - s.started_at) as seconds,
                             row_number() over (partition by s.name order by s.finished_at desc) as recent
                      from job_step s join job j on j.id = s.job_id join server v on v.id = j.server_id
                      where v.backend = :backend and s.status = 'done' and s.started_at is not null
                        and s.finished_at > :since) runs
                where recent <= :recent
                group by name having count(*) >= :atLeast""")
                .param("backend", backend).param("recent", RECENT).param("atLeast", AT_LEAST)
                .param("since", java.sql.Timestamp.from(clock.instant().minus(WITHIN)))
                .query((rs, n) -> {
                    try {
                        typical.put(Step.fromId(rs.getString("name")), Duration.ofMillis(Math.round(rs.getDouble("median") * 1000)));
                    } catch (IllegalArgumentException renamed) {
                        // a step of an older release: no figure for it
                    }
                    return null;
                }).list();
        return typical;
    }
}
