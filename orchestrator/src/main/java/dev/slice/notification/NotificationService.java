package dev.slice.notification;

import dev.slice.account.Actor;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The results of the jobs an account may see, so that no one has to watch a long job: an order that finished, a backup
 * that failed. Who sees which job is {@link JobService}'s rule; this only remembers when the account last looked.
 */
@Service
public class NotificationService {
    public static final int MAX_LATEST = 50;

    private final JobService jobs;
    private final ServerRepository servers;
    private final JdbcClient jdbc;
    private final Clock clock;

    NotificationService(JobService jobs, ServerRepository servers, JdbcClient jdbc, Clock clock) {
        this.jobs = jobs;
        this.servers = servers;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The latest {@code limit} results and how many are unread; reading does not mark them read. */
    public Inbox inbox(Actor actor, int limit) {
        Instant seen = seenAt(actor);
        List<Notification> latest = jobs.results(actor, null, Math.clamp(limit, 0, MAX_LATEST)).stream()
                .map(job -> notification(job, seen)).toList();
        return new Inbox(jobs.countResults(actor, seen), latest);
    }

    /** Just the count, for the bell's badge (cheap enough to ask every few seconds). */
    public long unread(Actor actor) {
        return jobs.countResults(actor, seenAt(actor));
    }

    /** Everything finished until now is read. */
    public void markRead(Actor actor) {
        jdbc.sql("update account set notifications_seen_at = ? where id = ?")
                .param(Timestamp.from(clock.instant())).param(actor.accountId()).update();
    }

    private Instant seenAt(Actor actor) {
        Timestamp seen = jdbc.sql("select notifications_seen_at from account where id = ?").param(actor.accountId())
                .query(Timestamp.class).optional().orElse(null);
        return seen == null ? null : seen.toInstant();
    }

    private Notification notification(Job job, Instant seen) {
        String hostname = job.serverId() == null ? null : servers.find(job.serverId()).map(ServerRow::hostname).orElse(null);
        boolean unread = seen == null || job.finishedAt().isAfter(seen);
        return new Notification(job.id(), job.serverId(), hostname, job.kind().id(), job.status() == JobStatus.SUCCEEDED,
                job.finishedAt(), JobSentences.of(job, hostname), unread);
    }
}
