package dev.slice.report;

import dev.slice.error.ConflictException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** All SQL of reports: runs (status by compare-and-set), host facts, the guests a run made, samples. */
public class ReportRepository {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcClient jdbc;

    public ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a queued run for its job whose request named its reserve. */
    public long insert(long nodeId, long jobId, List<String> backends, int vcpus, long memoryMiB, long diskMiB, Depth depth,
                       boolean density, long reserveMiB, Long createdBy, Instant now) {
        return insert(nodeId, jobId, backends, vcpus, memoryMiB, diskMiB, depth, density, reserveMiB, true, createdBy, now);
    }

    /**
     * Inserts a queued run for its job; a node with a run still active refuses a second one. {@code reserveRequested}: the
     * request named {@code reserveMiB} (else it is the default, and the fit keeps the node's reserve instead).
     */
    public long insert(long nodeId, long jobId, List<String> backends, int vcpus, long memoryMiB, long diskMiB, Depth depth,
                       boolean density, long reserveMiB, boolean reserveRequested, Long createdBy, Instant now) {
        try {
            return jdbc.sql("""
                    insert into report_run (node_id, job_id, backends, vcpus, memory_mib, disk_mib, depth, density, reserve_mib,
                      reserve_requested, status, created_by, created_at)
                    values (:node, :job, :backends, :vcpus, :mem, :disk, :depth, :density, :reserve, :requested, 'queued', :by, :now)
                    returning id""")
                    .param("requested", reserveRequested)
                    .param("node", nodeId).param("job", jobId).param("backends", backends.toArray(String[]::new))
                    .param("vcpus", vcpus).param("mem", memoryMiB).param("disk", diskMiB).param("depth", depth.id())
                    .param("density", density).param("reserve", reserveMiB).param("by", createdBy).param("now", Timestamp.from(now))
                    .query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw new ConflictException("node " + nodeId + " already has a report run queued or running; wait for it or cancel it");
        }
    }

    public Optional<ReportRun> find(long id) {
        return jdbc.sql("select * from report_run where id = ?").param(id).query(ReportRepository::map).optional();
    }

    public Optional<ReportRun> findByJob(long jobId) {
        return jdbc.sql("select * from report_run where job_id = ?").param(jobId).query(ReportRepository::map).optional();
    }

    /** Newest first. */
    public List<ReportRun> page(int offset, int limit) {
        return jdbc.sql("select * from report_run order by id desc offset :offset limit :limit")
                .param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000)).query(ReportRepository::map).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from report_run").query(Long.class).single();
    }

    /**
     * Moves the run to {@code to} if it is still at the version read (compare-and-set) and the table allows it;
     * returns the run as it is now. Finishing states set finished_at, running sets started_at once.
     */
    public ReportRun transition(ReportRun run, ReportStatus to, String error, Instant now) {
        ReportTransitions.require(run.status(), to);
        int changed = jdbc.sql("""
                update report_run set status = :to, version = version + 1, error = coalesce(:error, error),
                  started_at = case when :to = 'running' then coalesce(started_at, :now) else started_at end,
                  finished_at = case when :to in ('succeeded', 'failed', 'cancelled') then :now else finished_at end
                where id = :id and version = :version""")
                .param("to", to.id()).param("error", error).param("now", Timestamp.from(now)).param("id", run.id())
                .param("version", run.version()).update();
        if (changed == 0) throw new ConflictException("report run " + run.id() + " changed meanwhile; read it again");
        return find(run.id()).orElseThrow();
    }

    public void saveHostFacts(long runId, HostFacts facts) {
        jdbc.sql("""
                insert into report_host_facts (run_id, cpu_model, cpus, memory_mib, kernel, cgroups, kvm_device, ksm, governor, backends)
                values (:run, :model, :cpus, :mem, :kernel, :cgroups, :kvm, :ksm, :governor, :backends)
                on conflict (run_id) do nothing""")
                .param("run", runId).param("model", facts.cpuModel()).param("cpus", facts.cpus()).param("mem", facts.memoryMiB())
                .param("kernel", facts.kernel()).param("cgroups", facts.cgroups()).param("kvm", facts.kvmDevice())
                .param("ksm", facts.ksm()).param("governor", facts.governor()).param("backends", JSON.writeValueAsString(facts.backends()))
                .update();
    }

    @SuppressWarnings("unchecked")
    public Optional<HostFacts> hostFacts(long runId) {
        return jdbc.sql("select * from report_host_facts where run_id = ?").param(runId)
                .query((rs, n) -> new HostFacts(rs.getString("cpu_model"), rs.getInt("cpus"), rs.getLong("memory_mib"),
                        rs.getString("kernel"), rs.getString("cgroups"), rs.getBoolean("kvm_device"), rs.getString("ksm"),
                        rs.getString("governor"), Map.copyOf((Map<String, String>) JSON.readValue(rs.getString("backends"), Map.class))))
                .optional();
    }

    /**
     * A guest a run made (or is about to make): {@code purpose} measure (one per backend) or density; {@code failure}
     * why its boot failed (null when it booted or was not tried).
     */
    public record RunGuest(String guestId, long runId, String backend, String purpose, String status, Double bootMillis, int concurrency,
                           String failure) {
        public RunGuest(String guestId, long runId, String backend, String purpose, String status, Double bootMillis, int concurrency) {
            this(guestId, runId, backend, purpose, status, bootMillis, concurrency, null);
        }
    }

    /** Recorded before the driver creates the guest, so that clean-up finds it whatever happens next. */
    public void planGuest(long runId, String backend, String guestId, String purpose, int concurrency) {
        jdbc.sql("""
                insert into report_guest (guest_id, run_id, backend, purpose, status, concurrency) values (?, ?, ?, ?, 'planned', ?)
                on conflict (guest_id) do nothing""")
                .params(guestId, runId, backend, purpose, concurrency).update();
    }

    /** The guest answers commands; {@code bootMillis} is null when it existed before (a resumed run): no boot was timed. */
    public void guestReady(String guestId, Double bootMillis) {
        jdbc.sql("update report_guest set status = 'ready', boot_ms = ? where guest_id = ?").params(bootMillis, guestId).update();
    }

    /** The guest did not boot: why (the driver's message, or the deadline it missed), kept for the report. */
    public void guestFailed(String guestId, String reason) {
        jdbc.sql("update report_guest set failure = ? where guest_id = ?").params(reason == null || reason.isBlank() ? "no reason given" : reason,
                guestId).update();
    }

    public void guestDestroyed(String guestId) {
        jdbc.sql("update report_guest set status = 'destroyed' where guest_id = ?").params(guestId).update();
    }

    /** Whether a guest belongs to a report run that is still going (its clean-up will destroy it). */
    public boolean heldByActiveRun(String guestId) {
        return jdbc.sql("""
                select exists (select 1 from report_guest g join report_run r on r.id = g.run_id
                               where g.guest_id = ? and r.status in ('queued', 'running', 'cancelling'))""")
                .param(guestId).query(Boolean.class).single();
    }

    public List<RunGuest> guests(long runId) {
        return jdbc.sql("select * from report_guest where run_id = ? order by backend, guest_id").param(runId)
                .query((rs, n) -> new RunGuest(rs.getString("guest_id"), rs.getLong("run_id"), rs.getString("backend"),
                        rs.getString("purpose"), rs.getString("status"), (Double) rs.getObject("boot_ms"), rs.getInt("concurrency"),
                        rs.getString("failure")))
                .list();
    }

    /**
     * The host with {@code guests} density guests of a backend running ({@code stopReason} on the row where adding stopped).
     * {@code hostMiBPerGuest} is the MemAvailable drop over N (the cross-check); {@code pssMiBPerGuest} the PSS of the guests'
     * host processes and {@code kernelMiBPerGuest} their cgroups' kernel memory, per guest; {@code guestProcesses} how many
     * host processes were found for the N guests.
     */
    public record DensityPoint(String backend, int guests, long memAvailableMiB, Double hostMiBPerGuest, Double chargedMiBPerGuest,
                               Double idleCpuPercentPerGuest, Double cpuScore, String stopReason, Instant takenAt, Double pssMiBPerGuest,
                               Double kernelMiBPerGuest, Integer guestProcesses) {
        public DensityPoint(String backend, int guests, long memAvailableMiB, Double hostMiBPerGuest, Double chargedMiBPerGuest,
                            Double idleCpuPercentPerGuest, Double cpuScore, String stopReason, Instant takenAt) {
            this(backend, guests, memAvailableMiB, hostMiBPerGuest, chargedMiBPerGuest, idleCpuPercentPerGuest, cpuScore, stopReason,
                    takenAt, null, null, null);
        }
    }

    public void saveDensity(long runId, DensityPoint p) {
        jdbc.sql("""
                insert into report_density (run_id, backend, guests, mem_available_mib, host_mib_per_guest, charged_mib_per_guest,
                  idle_cpu_pct_per_guest, cpu_score, stop_reason, taken_at, pss_mib_per_guest, kernel_mib_per_guest, guest_processes)
                values (:run, :backend, :guests, :avail, :host, :charged, :idle, :score, :stop, :at, :pss, :kernel, :processes)
                on conflict (run_id, backend, guests) do update set stop_reason = coalesce(excluded.stop_reason, report_density.stop_reason)""")
                .param("run", runId).param("backend", p.backend()).param("guests", p.guests()).param("avail", p.memAvailableMiB())
                .param("host", p.hostMiBPerGuest()).param("charged", p.chargedMiBPerGuest()).param("idle", p.idleCpuPercentPerGuest())
                .param("score", p.cpuScore()).param("stop", p.stopReason()).param("at", Timestamp.from(p.takenAt()))
                .param("pss", p.pssMiBPerGuest()).param("kernel", p.kernelMiBPerGuest()).param("processes", p.guestProcesses())
                .update();
    }

    public List<DensityPoint> density(long runId) {
        return jdbc.sql("select * from report_density where run_id = ? order by backend, guests").param(runId)
                .query((rs, n) -> new DensityPoint(rs.getString("backend"), rs.getInt("guests"), rs.getLong("mem_available_mib"),
                        (Double) rs.getObject("host_mib_per_guest"), (Double) rs.getObject("charged_mib_per_guest"),
                        (Double) rs.getObject("idle_cpu_pct_per_guest"), (Double) rs.getObject("cpu_score"), rs.getString("stop_reason"),
                        rs.getTimestamp("taken_at").toInstant(), (Double) rs.getObject("pss_mib_per_guest"),
                        (Double) rs.getObject("kernel_mib_per_guest"), (Integer) rs.getObject("guest_processes")))
                .list();
    }

    /** A backend the run did not measure, and why ("not measured: reason" in the report). */
    public record NotMeasured(String backend, String reason) {}

    public void saveNotMeasured(long runId, List<NotMeasured> skipped) {
        for (NotMeasured n : skipped) {
            jdbc.sql("insert into report_not_measured (run_id, backend, reason) values (?, ?, ?) on conflict do nothing")
                    .params(runId, n.backend(), n.reason()).update();
        }
    }

    public List<NotMeasured> notMeasured(long runId) {
        return jdbc.sql("select backend, reason from report_not_measured where run_id = ? order by backend").param(runId)
                .query((rs, n) -> new NotMeasured(rs.getString("backend"), rs.getString("reason"))).list();
    }

    /** What a target was measured with: its guest's template (null on bare metal), emulated or not, the field tools found. */
    public record Target(String target, String template, boolean emulated, List<String> tools) {}

    public void saveTarget(long runId, Target t) {
        jdbc.sql("""
                insert into report_target (run_id, target, template, emulated, tools) values (:run, :target, :template, :emulated, :tools)
                on conflict (run_id, target) do update set template = excluded.template, emulated = excluded.emulated, tools = excluded.tools""")
                .param("run", runId).param("target", t.target()).param("template", t.template()).param("emulated", t.emulated())
                .param("tools", t.tools().toArray(String[]::new)).update();
    }

    public List<Target> targets(long runId) {
        return jdbc.sql("select * from report_target where run_id = ? order by target").param(runId)
                .query((rs, n) -> new Target(rs.getString("target"), rs.getString("template"), rs.getBoolean("emulated"),
                        List.of((String[]) rs.getArray("tools").getArray())))
                .list();
    }

    /** Whether a target's round is recorded (its figures are written together). */
    public boolean roundDone(long runId, String target, int round) {
        return jdbc.sql("select exists (select 1 from report_sample where run_id = ? and target = ? and round = ?)")
                .params(runId, target, round).query(Boolean.class).single();
    }

    /** Writes one round of one target in one transaction; a round written before is left as it was. */
    @Transactional
    public void saveRound(long runId, List<Sample> samples) {
        for (Sample s : samples) {
            jdbc.sql("""
                    insert into report_sample (run_id, target, round, warm_up, metric, value, unit, direct_io, load_average,
                      cpu_pressure, memory_pressure, mem_available_mib, taken_at)
                    values (:run, :target, :round, :warm, :metric, :value, :unit, :direct, :load, :cpu, :mem, :avail, :at)
                    on conflict (run_id, target, round, metric) do nothing""")
                    .param("run", runId).param("target", s.target()).param("round", s.round()).param("warm", s.warmUp())
                    .param("metric", s.metric().id()).param("value", s.value()).param("unit", s.metric().unit())
                    .param("direct", s.directIo()).param("load", s.load().loadAverage()).param("cpu", s.load().cpuPressure())
                    .param("mem", s.load().memoryPressure()).param("avail", s.load().memAvailableMiB())
                    .param("at", Timestamp.from(s.takenAt()))
                    .update();
        }
    }

    /** Every sample of a run, in the order taken. */
    public List<Sample> samples(long runId) {
        return jdbc.sql("select * from report_sample where run_id = ? order by id").param(runId)
                .query((rs, n) -> new Sample(rs.getString("target"), rs.getInt("round"), rs.getBoolean("warm_up"),
                        Metric.fromId(rs.getString("metric")).orElseThrow(), rs.getDouble("value"), rs.getBoolean("direct_io"),
                        new HostLoad(rs.getDouble("load_average"), rs.getDouble("cpu_pressure"), rs.getDouble("memory_pressure"),
                                rs.getLong("mem_available_mib")),
                        rs.getTimestamp("taken_at").toInstant()))
                .list();
    }

    private static ReportRun map(ResultSet rs, int row) throws SQLException {
        Array backends = rs.getArray("backends");
        return new ReportRun(rs.getLong("id"), rs.getLong("node_id"), rs.getLong("job_id"), List.of((String[]) backends.getArray()),
                rs.getInt("vcpus"), rs.getLong("memory_mib"), rs.getLong("disk_mib"), Depth.fromId(rs.getString("depth")),
                rs.getBoolean("density"), rs.getLong("reserve_mib"),
                ReportStatus.fromId(rs.getString("status")), rs.getString("error"), rs.getLong("version"),
                (Long) rs.getObject("created_by"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getBoolean("reserve_requested"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
