package dev.slice.backup;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.security.AccessRules;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A server's backups: written, restored and deleted by jobs, on demand or by the server's schedule. Seeing and acting
 * follow the server access rule ({@link AccessRules#canSeeServer}, {@link ServerService#actionable}); a backup of a
 * deleted server stays its owner's and can be restored into another of the owner's servers of the same backend.
 */
@Service
public class BackupService {
    public static final int MAX_NAME_LENGTH = 64;

    private final BackupRepository backups;
    private final ServerService servers;
    private final PlanService plans;
    private final JobQueue jobs;
    private final NodeDrivers nodeDrivers;
    private final AuditLog audit;
    private final Clock clock;
    private final int maxAttempts;

    public BackupService(BackupRepository backups, ServerService servers, PlanService plans, JobQueue jobs, NodeDrivers nodeDrivers,
                         AuditLog audit, Clock clock, SliceProperties properties) {
        this.backups = backups;
        this.servers = servers;
        this.plans = plans;
        this.jobs = jobs;
        this.nodeDrivers = nodeDrivers;
        this.audit = audit;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
    }

    /**
     * A server's backups and schedule.
     *
     * @param schedule  null when it has none
     * @param supported whether its backend writes backups (the panel hides the actions otherwise)
     */
    public record Listing(List<Backup> backups, BackupSchedule schedule, boolean supported) {}

    /** A job carrying out a backup action; poll GET /api/jobs/{jobId}. */
    public record Accepted(long serverId, long backupId, long jobId) {}

    /** Also for a deleted server: its backups outlive it. */
    public Listing list(Actor actor, long serverId) {
        Server server = servers.get(actor, serverId);
        return new Listing(backups.ofServer(serverId), backups.schedule(serverId).orElse(null), supported(server));
    }

    /** The ready backups that may be restored onto this server: its owner's, of its backend (its own and deleted servers'). */
    public List<Backup> restorable(Actor actor, long serverId) {
        ServerRow row = servers.actionable(actor, serverId);
        return backups.readyOfOwner(row.ownerId()).stream().filter(b -> b.backend().equals(row.backend())).toList();
    }

    @Transactional
    public Accepted create(Actor actor, long serverId, String name) {
        ServerRow row = servers.actionable(actor, serverId);
        String label = PlainText.require("name", name, 1000, "give the backup a name of 1-" + MAX_NAME_LENGTH + " characters").strip();
        if (label.length() > MAX_NAME_LENGTH) {
            throw new ValidationException("name", "give the backup a name of 1-" + MAX_NAME_LENGTH + " characters");
        }
        requireActive(row, "back up");
        requireSupported(servers.get(actor, serverId));
        long id = backups.insert(row, label, BackupTrigger.MANUAL, null, actor.accountId());
        return new Accepted(serverId, id, enqueue(actor, row, JobKind.BACKUP, id, label));
    }

    /** Replaces the server's disk with the backup's; everything written since is lost. The server runs afterwards. */
    @Transactional
    public Accepted restore(Actor actor, long serverId, long backupId) {
        ServerRow row = servers.actionable(actor, serverId);
        Backup backup = visible(actor, backupId);
        if (backup.ownerId() != row.ownerId()) {
            throw new ValidationException("backupId", "backup " + backupId + " belongs to another account than this server");
        }
        if (!backup.backend().equals(row.backend())) {
            throw new ValidationException("backupId", "backup " + backupId + " is of a " + backup.backend()
                    + " server; this server runs on " + row.backend());
        }
        requireActive(row, "restore a backup onto");
        requireSupported(servers.get(actor, serverId));
        if (backup.status() != BackupStatus.READY) {
            throw new ConflictException("backup '" + backup.name() + "' is " + backup.status().id() + ", not ready");
        }
        return new Accepted(serverId, backupId, enqueue(actor, row, JobKind.RESTORE, backupId, backup.name()));
    }

    /** Deletes the backup's archive; also of a deleted server (the job runs on the node that wrote it). */
    @Transactional
    public Accepted delete(Actor actor, long serverId, long backupId) {
        Backup backup = visible(actor, backupId);
        if (backup.serverId() != serverId) throw new NotFoundException("backup", backupId);
        Long parent = backups.ownerParentId(backup.ownerId());
        if (!AccessRules.canActOnServer(actor, backup.ownerId(), parent)) throw new NotFoundException("backup", backupId);
        backups.transition(backup, BackupStatus.DELETING, null);
        long job = jobs.enqueue(JobKind.BACKUP_DELETE, serverId, backup.nodeId(), actor.accountId(), BackupSteps.params(backupId),
                maxAttempts, clock.instant());
        audit.record(actor, "server.backup_delete", "server", serverId, "backup '" + backup.name() + "', job " + job);
        return new Accepted(serverId, backupId, job);
    }

    /**
     * Sets or (with a null or empty frequency) removes the server's schedule; the first scheduled backup is one period
     * from now. Retention: how many scheduled backups are kept (older ones are pruned after each new one).
     */
    @Transactional
    public BackupSchedule setSchedule(Actor actor, long serverId, String frequency, Integer retention) {
        ServerRow row = servers.actionable(actor, serverId);
        Optional<ScheduleRule> rule = ScheduleRule.of(frequency, retention);
        if (rule.isEmpty()) {
            backups.deleteSchedule(serverId);
            audit.record(actor, "server.backup_schedule", "server", serverId, "none");
            return null;
        }
        BackupFrequency parsed = rule.get().frequency();
        int kept = rule.get().retention();
        requireSupported(servers.get(actor, serverId));
        var existing = backups.schedule(serverId);
        // The same frequency keeps its next run (a changed retention does not postpone the next backup).
        var next = existing.filter(s -> s.frequency() == parsed).map(BackupSchedule::nextRunAt)
                .orElse(clock.instant().plus(parsed.period()));
        BackupSchedule schedule = new BackupSchedule(row.id(), parsed, kept, next);
        backups.saveSchedule(schedule);
        audit.record(actor, "server.backup_schedule", "server", serverId, parsed.id() + ", keep " + kept);
        return schedule;
    }

    /** A plan's default schedule for servers ordered from it afterwards; for whoever manages the plan. */
    @Transactional
    public void setPlanDefault(Actor actor, long planId, String frequency, Integer retention) {
        managedPlan(actor, planId);
        Optional<ScheduleRule> rule = ScheduleRule.of(frequency, retention);
        backups.setPlanDefault(planId, rule.orElse(null));
        audit.record(actor, "plan.backup-schedule", "plan", planId,
                rule.map(r -> r.frequency().id() + ", keep " + r.retention()).orElse("none"));
    }

    /** The plan's default schedule, if it has one; for whoever manages the plan. */
    public Optional<ScheduleRule> planDefault(Actor actor, long planId) {
        managedPlan(actor, planId);
        return backups.planRule(planId);
    }

    private void managedPlan(Actor actor, long planId) {
        Plan plan = plans.get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot change this plan");
    }

    /** The backup if the actor may see its owner's servers (the one server-visibility rule); 404 otherwise. */
    private Backup visible(Actor actor, long backupId) {
        Backup backup = backups.find(backupId).filter(b -> b.status() != BackupStatus.DELETED)
                .orElseThrow(() -> new NotFoundException("backup", backupId));
        if (!AccessRules.canSeeServer(actor, backup.ownerId(), backups.ownerParentId(backup.ownerId()))) {
            throw new NotFoundException("backup", backupId);
        }
        return backup;
    }

    private static boolean supported(Server server) {
        return server.capabilities().contains("backups");
    }

    /** Checked where the backend is known here (the local node), as for snapshots. */
    private void requireSupported(Server server) {
        if (nodeDrivers.isLocal(server.nodeName()) && !supported(server)) {
            throw new ConflictException("the " + server.backend() + " backend cannot write backups");
        }
    }

    private static void requireActive(ServerRow row, String action) {
        if (row.status() != ServerStatus.ACTIVE) throw new ConflictException("cannot " + action + " a server that is " + row.status().id());
        if (row.powerState() == PowerState.SUSPENDED) {
            throw new ConflictException("cannot " + action + " a server whose guest is suspended; resume it first");
        }
    }

    private long enqueue(Actor actor, ServerRow row, JobKind kind, long backupId, String name) {
        long jobId = jobs.enqueue(kind, row.id(), actor.accountId(), BackupSteps.params(backupId), maxAttempts, clock.instant());
        audit.record(actor, "server." + kind.id(), "server", row.id(), row.hostname() + ", backup '" + name + "', job " + jobId);
        return jobId;
    }
}
