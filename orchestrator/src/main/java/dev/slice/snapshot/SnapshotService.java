package dev.slice.snapshot;

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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A server's disk snapshots: taken, reverted to and deleted by jobs, at most as many at once as the server's plan
 * allows. The same access rule as every server action ({@link ServerService#actionable}).
 */
@Service
public class SnapshotService {
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_LIMIT = 100;

    private final JdbcClient jdbc;
    private final SnapshotRepository snapshots;
    private final ServerService servers;
    private final PlanService plans;
    private final JobQueue jobs;
    private final NodeDrivers nodeDrivers;
    private final AuditLog audit;
    private final Clock clock;
    private final int maxAttempts;

    public SnapshotService(JdbcClient jdbc, SnapshotRepository snapshots, ServerService servers, PlanService plans, JobQueue jobs,
                           NodeDrivers nodeDrivers, AuditLog audit, Clock clock, SliceProperties properties) {
        this.jdbc = jdbc;
        this.snapshots = snapshots;
        this.servers = servers;
        this.plans = plans;
        this.jobs = jobs;
        this.nodeDrivers = nodeDrivers;
        this.audit = audit;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
    }

    /**
     * A server's snapshots and what its plan allows.
     *
     * @param supported whether its backend takes snapshots (the panel hides the actions otherwise)
     */
    public record Listing(List<Snapshot> snapshots, int limit, boolean supported) {}

    /** A job carrying out a snapshot action; poll GET /api/jobs/{jobId}. */
    public record Accepted(long serverId, long snapshotId, long jobId) {}

    public Listing list(Actor actor, long serverId) {
        Server server = servers.get(actor, serverId);
        return new Listing(snapshots.ofServer(serverId), limitOf(server.planId()), supported(server));
    }

    @Transactional
    public Accepted take(Actor actor, long serverId, String name) {
        ServerRow row = servers.actionable(actor, serverId);
        String label = PlainText.require("name", name, 1000, "give the snapshot a name of 1-" + MAX_NAME_LENGTH + " characters")
                .strip();
        if (label.length() > MAX_NAME_LENGTH) {
            throw new ValidationException("name", "give the snapshot a name of 1-" + MAX_NAME_LENGTH + " characters");
        }
        requireActive(row, "take a snapshot of");
        requireNotSuspended(row, "take a snapshot of");
        requireSupported(servers.get(actor, serverId));
        // The server's row is locked first: two takes at once cannot both find room under the limit.
        jdbc.sql("select id from server where id = ? for update").param(serverId).query(Long.class).single();
        int limit = limitOf(row.planId());
        if (snapshots.held(serverId) >= limit) {
            throw new ConflictException(limit == 0 ? "the server's plan offers no snapshots"
                    : "the server's plan allows " + limit + " snapshot" + (limit == 1 ? "" : "s") + "; delete one first");
        }
        long id;
        try {
            id = snapshots.insert(serverId, label, actor.accountId());
        } catch (DuplicateKeyException e) {
            throw new ValidationException("name", "this server already has a snapshot named '" + label + "'");
        }
        long job = enqueue(actor, row, JobKind.SNAPSHOT_TAKE, id, label);
        return new Accepted(serverId, id, job);
    }

    /** Brings the server's disk back to the snapshot; everything written since is lost. */
    @Transactional
    public Accepted revert(Actor actor, long serverId, long snapshotId) {
        ServerRow row = servers.actionable(actor, serverId);
        Snapshot snapshot = ofServer(serverId, snapshotId);
        requireActive(row, "revert");
        requireNotSuspended(row, "revert");
        if (snapshot.status() != SnapshotStatus.READY) {
            throw new ConflictException("snapshot '" + snapshot.name() + "' is " + snapshot.status().id() + ", not ready");
        }
        return new Accepted(serverId, snapshotId, enqueue(actor, row, JobKind.SNAPSHOT_REVERT, snapshotId, snapshot.name()));
    }

    @Transactional
    public Accepted delete(Actor actor, long serverId, long snapshotId) {
        ServerRow row = servers.actionable(actor, serverId);
        Snapshot snapshot = ofServer(serverId, snapshotId);
        requireActive(row, "delete a snapshot of");
        snapshots.transition(snapshot, SnapshotStatus.DELETING, null);
        return new Accepted(serverId, snapshotId, enqueue(actor, row, JobKind.SNAPSHOT_DELETE, snapshotId, snapshot.name()));
    }

    /** How many snapshots each server of the plan may keep at once (0-100); for whoever manages the plan. */
    @Transactional
    public int setLimit(Actor actor, long planId, Integer limit) {
        Plan plan = plans.get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot change this plan");
        if (limit == null || limit < 0 || limit > MAX_LIMIT) {
            throw new ValidationException("snapshotLimit", "between 0 and " + MAX_LIMIT + " snapshots per server");
        }
        jdbc.sql("update plan set snapshot_limit = ? where id = ?").params(limit, planId).update();
        audit.record(actor, "plan.snapshot-limit", "plan", planId, Integer.toString(limit));
        return limit;
    }

    public int limit(Actor actor, long planId) {
        return limitOf(plans.get(actor, planId).id());
    }

    private int limitOf(long planId) {
        return jdbc.sql("select snapshot_limit from plan where id = ?").param(planId).query(Integer.class).single();
    }

    private Snapshot ofServer(long serverId, long snapshotId) {
        return snapshots.find(snapshotId).filter(s -> s.serverId() == serverId && s.status() != SnapshotStatus.DELETED)
                .orElseThrow(() -> new NotFoundException("snapshot", snapshotId));
    }

    private boolean supported(Server server) {
        return server.capabilities().contains("snapshots");
    }

    /** Checked where the backend is known here (the local node), as for resizes. */
    private void requireSupported(Server server) {
        if (nodeDrivers.isLocal(server.nodeName()) && !supported(server)) {
            throw new ConflictException("the " + server.backend() + " backend cannot take snapshots");
        }
    }

    /** A saved machine belongs to the disk as it is: a snapshot taken or reverted under it would not match it. */
    private static void requireNotSuspended(ServerRow row, String action) {
        if (row.powerState() == PowerState.SUSPENDED) {
            throw new ConflictException("cannot " + action + " a server whose guest is suspended; resume it first");
        }
    }

    private static void requireActive(ServerRow row, String action) {
        if (row.status() != ServerStatus.ACTIVE) throw new ConflictException("cannot " + action + " a server that is " + row.status().id());
    }

    private long enqueue(Actor actor, ServerRow row, JobKind kind, long snapshotId, String name) {
        long jobId = jobs.enqueue(kind, row.id(), actor.accountId(), SnapshotSteps.params(snapshotId), maxAttempts, clock.instant());
        audit.record(actor, "server." + kind.id(), "server", row.id(), row.hostname() + ", snapshot '" + name + "', job " + jobId);
        return jobId;
    }
}
