package dev.slice.backup;

import dev.slice.error.ConflictException;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.server.PowerState;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the schedules. The control plane's timer only queues a {@link JobKind#BACKUP_SCHEDULE} job when something is
 * due (at most one is queued or running: a unique index); that job's one step enqueues each due server's backup and
 * moves its schedule's {@code next_run_at} on in the same transaction, and starts the delete of each backup whose
 * retention ended. The schedule rows are the durable state: a scheduler that dies before its commit left nothing done,
 * and one that dies after it is not repeated, so restarts neither miss nor double a backup.
 */
@Service
public class BackupScheduler {
    private static final int BATCH = 200;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final JdbcClient jdbc;
    private final BackupRepository backups;
    private final ServerRepository servers;
    private final JobQueue jobs;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int maxAttempts;

    public BackupScheduler(JdbcClient jdbc, BackupRepository backups, ServerRepository servers, JobQueue jobs,
                           TransactionTemplate transactions, Clock clock, SliceProperties properties) {
        this.jdbc = jdbc;
        this.backups = backups;
        this.servers = servers;
        this.jobs = jobs;
        this.transactions = transactions;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
    }

    /** The timer's part: queues the scheduler's job if a schedule is due or a retention ended. Returns its id, or 0. */
    public long queueIfDue() {
        Instant now = clock.instant();
        if (!backups.anyDue(now) && !backups.anyExpired(now)) return 0;
        boolean queued = jdbc.sql("select exists (select 1 from job where kind = 'backup_schedule' and status in ('queued', 'running'))")
                .query(Boolean.class).single();
        if (queued) return 0;
        try {
            return jobs.enqueue(JobKind.BACKUP_SCHEDULE, null, null, null, "{}", maxAttempts, now);
        } catch (ConflictException another) {
            return 0; // another control plane queued it meanwhile
        }
    }

    /** The job's step: every due schedule and every ended retention, each in a transaction of its own. */
    String run(Instant now) {
        int enqueued = 0, skipped = 0, deferred = 0, ended = 0;
        for (long serverId : backups.due(now, BATCH)) {
            try {
                switch (transactions.execute(status -> runSchedule(serverId, now))) {
                    case ENQUEUED -> enqueued++;
                    case SKIPPED -> skipped++;
                    case DEFERRED -> deferred++;
                    case NOT_DUE -> {}
                }
            } catch (ConflictException busy) {
                deferred++; // a job of the server's was queued meanwhile; the next run tries again
            }
        }
        for (Backup backup : backups.expired(now)) {
            try {
                if (Boolean.TRUE.equals(transactions.execute(status -> endRetention(backup.id(), now)))) ended++;
            } catch (ConflictException busy) {
                deferred++;
            }
        }
        return "backups enqueued: " + enqueued + ", skipped (server not active): " + skipped
                + ", deferred (server busy): " + deferred + ", retentions ended: " + ended;
    }

    private enum Outcome { ENQUEUED, SKIPPED, DEFERRED, NOT_DUE }

    private Outcome runSchedule(long serverId, Instant now) {
        BackupSchedule schedule = backups.lockSchedule(serverId).orElse(null);
        if (schedule == null || schedule.nextRunAt().isAfter(now)) return Outcome.NOT_DUE; // done by another run
        ServerRow server = servers.find(serverId).orElse(null);
        Instant next = schedule.nextRunAt();
        while (!next.isAfter(now)) next = next.plus(schedule.frequency().period()); // after a downtime: one backup, not many
        if (server == null || server.status() != ServerStatus.ACTIVE || server.powerState() == PowerState.SUSPENDED) {
            backups.moveNextRun(serverId, next);
            return Outcome.SKIPPED;
        }
        if (jobs.activeJobOf(serverId).isPresent()) return Outcome.DEFERRED;
        long id = backups.insert(server, schedule.frequency().id() + " " + LABEL.format(now), BackupTrigger.SCHEDULED,
                schedule.expiry(now), null);
        jobs.enqueue(JobKind.BACKUP, serverId, null, BackupSteps.params(id), maxAttempts, now);
        backups.moveNextRun(serverId, next);
        return Outcome.ENQUEUED;
    }

    private boolean endRetention(long backupId, Instant now) {
        Backup backup = backups.find(backupId).orElse(null);
        if (backup == null || backup.expiresAt() == null || backup.expiresAt().isAfter(now)) return false;
        if (backup.status() != BackupStatus.READY && backup.status() != BackupStatus.FAILED) return false;
        if (jobs.activeJobOf(backup.serverId()).isPresent()) throw new ConflictException("server " + backup.serverId() + " is busy");
        backups.transition(backup, BackupStatus.DELETING, null);
        jobs.enqueue(JobKind.BACKUP_DELETE, backup.serverId(), backup.nodeId(), null, BackupSteps.params(backup.id()), maxAttempts, now);
        return true;
    }

    /** A new server of a plan with a default schedule gets it (once: an existing schedule is kept). */
    String applyPlanDefault(long serverId) {
        if (backups.schedule(serverId).isPresent()) return "";
        ServerRow server = servers.find(serverId).orElse(null);
        if (server == null) return "";
        return backups.planDefault(server.planId(), serverId, clock.instant()).map(schedule -> {
            backups.saveSchedule(schedule);
            return "backups " + schedule.frequency().id() + ", the newest " + schedule.retention() + " kept (the plan's default)";
        }).orElse("");
    }
}
