package dev.slice.job;

import dev.slice.error.ConflictException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The durable job queue in PostgreSQL. No Spring container needed (only a {@link JdbcClient}); every time
 * comes from the caller, so tests move a clock instead of sleeping. Every write by a worker names its {@link Claim}
 * (the job's fence, raised at each claim): a claim taken over after its heartbeat went stale cannot overwrite the job,
 * whichever worker or thread holds it.
 */
public class JobQueue {
    private final JdbcClient jdbc;
    private final List<Runnable> enqueueListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public JobQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Called after a transaction that enqueued a job has committed (at once when there is no transaction), so an
     * idle worker starts without waiting for its next poll.
     */
    public void onEnqueued(Runnable listener) {
        enqueueListeners.add(listener);
    }

    private void notifyAfterCommit() {
        if (enqueueListeners.isEmpty()) return;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    enqueueListeners.forEach(Runnable::run);
                }
            });
        } else {
            enqueueListeners.forEach(Runnable::run);
        }
    }

    /**
     * Adds a job in the caller's transaction. Throws {@link ConflictException} if the server already has
     * a queued or running job (one active job per server, enforced by a unique index).
     */
    public long enqueue(JobKind kind, Long serverId, Long createdBy, String params, int maxAttempts, Instant now) {
        return enqueue(kind, serverId, null, createdBy, params, maxAttempts, now);
    }

    /** As above, on {@code nodeId}; null means the server's node (and no node for a job without a server). */
    public long enqueue(JobKind kind, Long serverId, Long nodeId, Long createdBy, String params, int maxAttempts, Instant now) {
        try {
            // One statement: the job, its steps and the NOTIFY (the job's node), delivered to every listening process
            // when this transaction commits (JobNotifications), never before. Outside a transaction a job inserted apart
            // from its steps was visible, and notified, before them: a woken worker claimed it, found no step to start
            // and left it to the stale-claim takeover (JobNotificationsTest caught it, 1 run in 3 under load).
            String[] steps = kind.steps().stream().map(Step::id).toArray(String[]::new);
            long id = jdbc.sql("""
                    with queued as (
                      insert into job (server_id, node_id, kind, status, steps, max_attempts, params, run_after, created_by, created_at)
                      values (:server, coalesce(:node::bigint, (select node_id from server where id = :server::bigint)), :kind, 'queued',
                              :steps, :max, :params, :now, :by, :now) returning id, node_id),
                    pending as (
                      insert into job_step (job_id, step_index, name, status)
                      select queued.id, n - 1, name, 'pending' from queued, unnest(:steps::text[]) with ordinality as s(name, n))
                    select id from queued, pg_notify(:channel, coalesce(queued.node_id::text, ''))""")
                    .param("server", serverId).param("node", nodeId).param("kind", kind.id()).param("steps", steps)
                    .param("max", maxAttempts).param("params", params == null ? "{}" : params)
                    .param("now", Timestamp.from(now)).param("by", createdBy).param("channel", JobNotifications.CHANNEL)
                    .query(Long.class).single();
            notifyAfterCommit();
            return id;
        } catch (DuplicateKeyException e) {
            throw new ConflictException("server " + serverId + " already has a job queued or running; wait for it to finish");
        }
    }

    /**
     * Claims up to {@code max} jobs that are due, or whose worker stopped sending heartbeats before
     * {@code staleBefore}, in one statement ({@code FOR UPDATE SKIP LOCKED}: concurrent workers never
     * claim the same job and never wait for each other). The claimed rows come back from that statement as they are now.
     */
    public List<Job> claim(String worker, int max, Instant now, Instant staleBefore) {
        return claim(worker, max, now, staleBefore, ClaimScope.ALL);
    }

    /** As above, only jobs in {@code scope}: a node agent's worker takes its own node's jobs and no other's. */
    public List<Job> claim(String worker, int max, Instant now, Instant staleBefore, ClaimScope scope) {
        if (!scope.all() && scope.nodes().isEmpty() && !scope.unassigned()) return List.of();
        // SET expressions see the row as it was: a job taken over from a dead worker (status still 'running')
        // counts as an attempt, so a step that kills its worker every time cannot loop forever, and the takeover
        // is written to the job's output for the operator.
        List<Job> claimed = jdbc.sql("""
                with claimed as (
                update job set status = 'running', claimed_by = :worker, heartbeat_at = :now, fence = nextval('job_fence'),
                  started_at = coalesce(started_at, :now),
                  attempts = attempts + case when status = 'running' then 1 else 0 end,
                  output = output || case when status = 'running'
                    then :nowText || ' taken over from worker ' || claimed_by || ', whose heartbeat stopped' || chr(10)
                    else '' end
                where id in (select id from job
                             where ((status = 'queued' and run_after <= :now) or (status = 'running' and heartbeat_at < :stale))
                               and (:all or node_id = any(:nodes) or (:unassigned and node_id is null))
                             order by run_after, id limit :max for update skip locked)
                returning *)
                select * from claimed order by id""")
                .param("worker", worker).param("now", Timestamp.from(now)).param("nowText", stamp(now))
                .param("stale", Timestamp.from(staleBefore)).param("max", max)
                .param("all", scope.all()).param("unassigned", scope.unassigned())
                .param("nodes", scope.all() ? new Long[0] : scope.nodes().toArray(Long[]::new))
                .query(this::map).list();
        return claimed;
    }

    /** Refreshes the claim; false means the job is no longer this claim's (taken over or finished). */
    public boolean heartbeat(Claim claim, Instant now) {
        return jdbc.sql("update job set heartbeat_at = ? where id = ? and fence = ? and status = 'running'")
                .params(Timestamp.from(now), claim.jobId(), claim.fence()).update() == 1;
    }

    /** Marks the step running, in one statement that also checks the job is still this claim's. */
    public boolean stepStarted(Claim claim, int index, Instant now) {
        return jdbc.sql("""
                update job_step set status = 'running', started_at = :now, finished_at = null
                where job_id = :id and step_index = :index
                  and exists (select 1 from job where id = :id and fence = :fence and status = 'running')""")
                .param("now", Timestamp.from(now)).param("id", claim.jobId()).param("index", index).param("fence", claim.fence())
                .update() == 1;
    }

    /** Records a finished step and moves the job past it; false if the job is no longer this claim's. */
    public boolean stepDone(Claim claim, int index, String output, Instant now) {
        // One statement (one commit): move the job past the step and mark the step done.
        return jdbc.sql("""
                with moved as (
                  update job set next_step = :next, heartbeat_at = :now, output = output || :line
                  where id = :id and fence = :fence and status = 'running' and next_step = :index
                  returning id)
                update job_step set status = 'done', finished_at = :now, output = :output
                where job_id in (select id from moved) and step_index = :index""")
                .param("next", index + 1).param("now", Timestamp.from(now)).param("line", line(now, output))
                .param("id", claim.jobId()).param("fence", claim.fence()).param("index", index).param("output", output == null ? "" : output)
                .update() == 1;
    }

    public boolean succeed(Claim claim, Instant now) {
        return jdbc.sql("""
                update job set status = 'succeeded', finished_at = ?, claimed_by = null, error = null
                where id = ? and fence = ? and status = 'running'""")
                .params(Timestamp.from(now), claim.jobId(), claim.fence()).update() == 1;
    }

    /** Counts a failed attempt and puts the job back in the queue, due at {@code runAfter}. */
    public boolean retryLater(Claim claim, int stepIndex, String error, Instant now, Instant runAfter) {
        return fencedWithStep("""
                update job set status = 'queued', claimed_by = null, heartbeat_at = null, attempts = attempts + 1,
                  error = :error, run_after = :after, output = output || :line
                where id = :id and fence = :fence and status = 'running'""", claim, stepIndex, "failed", error, now)
                .param("error", error).param("after", Timestamp.from(runAfter))
                .param("line", line(now, "attempt failed, retrying at " + stamp(runAfter) + ": " + error)).update() == 1;
    }

    public boolean fail(Claim claim, int stepIndex, String error, Instant now) {
        return fencedWithStep("""
                update job set status = 'failed', claimed_by = null, attempts = attempts + 1, error = :error,
                  finished_at = :now, output = output || :line
                where id = :id and fence = :fence and status = 'running'""", claim, stepIndex, "failed", error, now)
                .param("error", error).param("line", line(now, "failed: " + error)).update() == 1;
    }

    /** Gives a claimed job back untouched (the worker is shutting down): due again at once, no attempt counted. */
    public boolean release(Claim claim, int stepIndex, Instant now) {
        return fencedWithStep("""
                update job set status = 'queued', claimed_by = null, heartbeat_at = null, run_after = :now
                where id = :id and fence = :fence and status = 'running'""", claim, stepIndex, "pending", "", now)
                .update() == 1;
    }

    /**
     * {@code jobUpdate} (fenced by {@code :id} and {@code :fence}) and the step's new status in one statement: the step
     * changes only if the job did, so a claim that was taken over writes neither. Updates 1 row when it held.
     */
    private JdbcClient.StatementSpec fencedWithStep(String jobUpdate, Claim claim, int index, String stepStatus, String output,
                                                    Instant now) {
        return jdbc.sql("with moved as (" + jobUpdate + " returning id)"
                        + " update job_step set status = :stepStatus, finished_at = :now, output = :stepOutput"
                        + " where job_id in (select id from moved) and step_index = :index")
                .param("id", claim.jobId()).param("fence", claim.fence()).param("index", index).param("now", Timestamp.from(now))
                .param("stepStatus", stepStatus).param("stepOutput", output == null ? "" : output);
    }

    public Optional<Job> find(long id) {
        return jdbc.sql("select * from job where id = ?").param(id).query(this::map).optional();
    }

    /** Newest first. {@code where} is a fixed SQL condition on {@code job} from the calling service. */
    public List<Job> page(String where, Object param, int offset, int limit) {
        return jdbc.sql("select * from job where " + where + " order by id desc offset :offset limit :limit")
                .param("p", param).param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query(this::map).list();
    }

    public long count(String where, Object param) {
        return jdbc.sql("select count(*) from job where " + where).param("p", param).query(Long.class).single();
    }

    /**
     * Finished jobs, the latest to finish first, without the backup scheduler's routine successes (it runs every few
     * minutes and tells no one anything); only those that finished after {@code after}, if given.
     */
    public List<Job> results(String where, Object param, Instant after, int limit) {
        return jdbc.sql("select * from job where (" + where + ") and " + RESULTS + " and finished_at > :after"
                        + " order by finished_at desc, id desc limit :limit")
                .param("p", param).param("after", Timestamp.from(after == null ? Instant.EPOCH : after))
                .param("limit", Math.clamp(limit, 0, 1000)).query(this::map).list();
    }

    public long countResults(String where, Object param, Instant after) {
        return jdbc.sql("select count(*) from job where (" + where + ") and " + RESULTS + " and finished_at > :after")
                .param("p", param).param("after", Timestamp.from(after == null ? Instant.EPOCH : after))
                .query(Long.class).single();
    }

    private static final String RESULTS =
            "status in ('succeeded', 'failed') and not (kind = 'backup_schedule' and status = 'succeeded')";

    /** Like {@link #page(String, Object, int, int)}, with more named parameters and an order of the caller's (then newest first). */
    public List<Job> page(String where, java.util.Map<String, ?> params, String orderBy, int offset, int limit) {
        return jdbc.sql("select * from job where " + where + " order by " + orderBy + ", id desc offset :offset limit :limit")
                .params(params).param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query(this::map).list();
    }

    public long count(String where, java.util.Map<String, ?> params) {
        return jdbc.sql("select count(*) from job where " + where).params(params).query(Long.class).single();
    }

    /**
     * Ends a job no worker holds (queued, or waiting for a retry) as failed with {@code reason}; false when a worker
     * has claimed it meanwhile (it then ends at its next step boundary, see the step runner).
     */
    public boolean cancelQueued(long jobId, String reason, Instant now) {
        return jdbc.sql("""
                update job set status = 'failed', error = :reason, finished_at = :now, output = output || :line
                where id = :id and status = 'queued'""")
                .param("reason", reason).param("now", Timestamp.from(now)).param("line", line(now, reason)).param("id", jobId)
                .update() == 1;
    }

    public Optional<Long> activeJobOf(long serverId) {
        return jdbc.sql("select id from job where server_id = ? and status in ('queued', 'running')").param(serverId)
                .query(Long.class).optional();
    }

    private static String line(Instant now, String text) {
        return text == null || text.isBlank() ? "" : stamp(now) + " " + text.strip() + "\n";
    }

    /** To the second and named, as the panel shows times ("2026-12-04 18:33:17 UTC"), not Instant's nanoseconds and Z. */
    static String stamp(Instant instant) {
        return OUTPUT_TIME.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    private static final java.time.format.DateTimeFormatter OUTPUT_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    private Job map(ResultSet rs, int row) throws SQLException {
        long id = rs.getLong("id");
        List<JobStep> steps = new ArrayList<>(jdbc.sql("select * from job_step where job_id = ? order by step_index").param(id)
                .query((s, n) -> new JobStep(s.getInt("step_index"), Step.fromId(s.getString("name")), s.getString("status"),
                        instant(s.getTimestamp("started_at")), instant(s.getTimestamp("finished_at")), s.getString("output")))
                .list());
        Array stepNames = rs.getArray("steps");
        if (steps.isEmpty() && stepNames != null) {
            String[] names = (String[]) stepNames.getArray();
            for (int i = 0; i < names.length; i++) steps.add(new JobStep(i, Step.fromId(names[i]), "pending", null, null, ""));
        }
        return new Job(id, (Long) rs.getObject("server_id"), JobKind.fromId(rs.getString("kind")),
                JobStatus.fromId(rs.getString("status")), List.copyOf(steps), rs.getInt("next_step"), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getString("params"), rs.getString("error"), rs.getString("output"),
                rs.getString("claimed_by"), instant(rs.getTimestamp("heartbeat_at")), instant(rs.getTimestamp("run_after")),
                (Long) rs.getObject("created_by"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getLong("fence"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
