package dev.slice.server;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import dev.slice.placement.Demand;
import dev.slice.placement.PlacementService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.quota.Quotas;
import dev.slice.security.AccessRules;
import dev.slice.template.TemplateService;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Servers as their owners, resellers and operators see them, and the actions on them. Every action checks
 * access, checks the transition table, and enqueues a job in the same transaction (one active job per server).
 */
@Service
public class ServerService {
    private static final String SELECT = """
            select s.*, p.name as plan_name, n.name as node_name, o.username as owner_username, o.parent_id as owner_parent_id,
                   (select j.id from job j where j.server_id = s.id and j.status in ('queued', 'running')) as active_job_id
            from server s join plan p on p.id = s.plan_id join node n on n.id = s.node_id join account o on o.id = s.owner_id""";

    private final JdbcClient jdbc;
    private final ServerRepository servers;
    private final JobQueue jobs;
    private final PlanService plans;
    private final TemplateService templates;
    private final PlacementService placement;
    private final DriverRegistry registry;
    private final NodeDrivers nodeDrivers;
    private final AuditLog audit;
    private final Clock clock;
    private final int maxAttempts;
    private final ApplicationEventPublisher events;
    private final Quotas quotas;

    public ServerService(JdbcClient jdbc, ServerRepository servers, JobQueue jobs, PlanService plans, TemplateService templates,
                         PlacementService placement, DriverRegistry registry, NodeDrivers nodeDrivers, AuditLog audit, Clock clock,
                         dev.slice.orchestrator.SliceProperties properties, ApplicationEventPublisher events, Quotas quotas) {
        this.jdbc = jdbc;
        this.servers = servers;
        this.jobs = jobs;
        this.plans = plans;
        this.templates = templates;
        this.placement = placement;
        this.registry = registry;
        this.nodeDrivers = nodeDrivers;
        this.audit = audit;
        this.clock = clock;
        this.maxAttempts = properties.jobs().maxAttempts();
        this.events = events;
        this.quotas = quotas;
    }

    /** Servers the caller may see, deleted ones excluded, ordered by id. */
    public List<Server> page(Actor actor, int offset, int limit) {
        return page(actor, ServerQuery.ALL, offset, limit);
    }

    public long count(Actor actor) {
        return count(actor, ServerQuery.ALL);
    }

    /** Like {@link #page}, the servers of one owner only (an account's "Servers" in the panel). */
    public List<Server> pageOf(Actor actor, long ownerId, int offset, int limit) {
        return page(actor, ServerQuery.ALL.withOwner(ownerId), offset, limit);
    }

    public long countOf(Actor actor, long ownerId) {
        return count(actor, ServerQuery.ALL.withOwner(ownerId));
    }

    /**
     * The servers the caller may see that match the query, in its order (then by id, so pages never overlap). The
     * query only narrows: visibility is the same rule as everywhere here, in SQL and again per row.
     */
    public List<Server> page(Actor actor, ServerQuery query, int offset, int limit) {
        String order = query.sort().sql(query.sort().key().column) + ", s.id" + (query.sort().descending() ? " desc" : "");
        return bind(jdbc.sql(SELECT + " where " + where(actor, query) + " order by " + order + " offset :offset limit :limit"),
                        actor, query)
                .param("offset", Math.max(0, offset)).param("limit", Math.clamp(limit, 0, 1000))
                .query(this::map).list().stream()
                .filter(v -> AccessRules.canSeeServer(actor, v.server().ownerId(), v.ownerParentId())).map(Visible::server).toList();
    }

    public long count(Actor actor, ServerQuery query) {
        return bind(jdbc.sql("select count(*) from server s join account o on o.id = s.owner_id where " + where(actor, query)),
                actor, query).query(Long.class).single();
    }

    private static String where(Actor actor, ServerQuery query) {
        StringBuilder where = new StringBuilder("s.status <> 'deleted' and ").append(visibility(actor));
        if (query.text().isPresent()) {
            where.append(" and (s.hostname ilike :text escape '\\' or host(s.ipv4) like :text escape '\\'"
                    + " or o.username ilike :text escape '\\')");
        }
        if (query.status() != null) where.append(" and s.status = :status");
        if (query.backend() != null) where.append(" and s.backend = :backend");
        if (query.ownerId() != null) where.append(" and s.owner_id = :owner");
        return where.toString();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, Actor actor, ServerQuery query) {
        statement = statement.param("me", actor.accountId());
        if (query.text().isPresent()) statement = statement.param("text", query.text().get().containsPattern());
        if (query.status() != null) statement = statement.param("status", query.status().id());
        if (query.backend() != null) statement = statement.param("backend", query.backend().id());
        if (query.ownerId() != null) statement = statement.param("owner", query.ownerId());
        return statement;
    }

    public Server get(Actor actor, long serverId) {
        return jdbc.sql(SELECT + " where s.id = :id").param("id", serverId).query(this::map).optional()
                .filter(v -> AccessRules.canSeeServer(actor, v.server().ownerId(), v.ownerParentId())).map(Visible::server)
                .orElseThrow(() -> new NotFoundException("server", serverId));
    }

    @Transactional
    public long start(Actor actor, long serverId) {
        return powerAction(actor, serverId, "start", JobKind.START);
    }

    /** A graceful stop (the guest is asked and given 30 s), or with {@code force} a hard power-off. */
    @Transactional
    public long stop(Actor actor, long serverId, boolean force) {
        if (force) return powerOff(actor, serverId);
        return powerAction(actor, serverId, "stop", JobKind.STOP);
    }

    /** Hard power-off: the guest is stopped at once without being asked; unsaved data in it is lost. */
    @Transactional
    public long powerOff(Actor actor, long serverId) {
        return powerAction(actor, serverId, "power off", JobKind.POWER_OFF);
    }

    /** Hard reset: the guest restarts at once without being asked (a stopped one is started). */
    @Transactional
    public long reset(Actor actor, long serverId) {
        return powerAction(actor, serverId, "reset", JobKind.RESET);
    }

    @Transactional
    public long reboot(Actor actor, long serverId) {
        return powerAction(actor, serverId, "reboot", JobKind.REBOOT);
    }

    /** Reinstalls with a new template and root credentials; all data on the guest is lost. */
    @Transactional
    public long reinstall(Actor actor, long serverId, String template, String rootPassword, List<String> sshKeys) {
        ServerRow row = actOn(actor, serverId);
        templates.requireAvailable(template, row.backend());
        List<String> keys = SshPublicKeys.validate(sshKeys);
        String hash = RootPasswords.hash(rootPassword);
        if (hash == null && keys.isEmpty()) throw new ValidationException("rootPassword", "give a root password or an SSH key");
        ServerRow changed = servers.transition(row, ServerStatus.REINSTALLING);
        changed = servers.setInstall(changed, template, hash, keys);
        return enqueue(actor, changed, JobKind.REINSTALL, "{}");
    }

    /** Moves the server to another plan of the same seller and backend; it must fit on its node and within the quotas. */
    @Transactional
    public long resize(Actor actor, long serverId, long planId) {
        ServerRow row = actOn(actor, serverId);
        Plan plan = plans.find(planId).filter(p -> p.active() && AccessRules.canOrder(actor, p.ownerId(), row.ownerId(), row.ownerParentId()))
                .orElseThrow(() -> new ValidationException("planId", "no such plan to resize to"));
        if (!plan.backend().equals(row.backend())) throw new ValidationException("planId", "the new plan must use the same backend (" + row.backend() + ")");
        if (nodeDrivers.isLocal(nodeName(row.nodeId()))
                && !registry.capabilities(BackendKind.fromId(row.backend())).contains("resize")) {
            throw new ValidationException("planId", "the " + row.backend() + " backend cannot resize servers");
        }
        requireNotSuspended(row, "resize");
        quotas.requireRoomForResize(actor, plan, row.ownerId(), row.vcpus(), row.memoryMiB(), row.diskMiB());
        ServerRow resizing = servers.transition(row, ServerStatus.RESIZING);
        placement.place(row.backend(), new Demand(plan.vcpus(), plan.memoryMiB(), plan.diskMiB()), row.nodeId(), row.id());
        resizing = servers.setPlan(resizing, plan.id(), plan.vcpus(), plan.memoryMiB(), plan.diskMiB(), plan.bandwidthMbit());
        events.publishEvent(new ServerPlanChanged(serverId, plan.id(), plan.monthlyPriceCents()));
        return enqueue(actor, resizing, JobKind.RESIZE, "{}");
    }

    /**
     * Suspends the guest for its owner: its backend's {@link Suspend} saves the running machine and stops it, and
     * {@link #resumeGuest} goes on where it stopped. Not the provider's {@link #suspend} (the status), which stays as it was.
     *
     * @throws ConflictException the backend cannot suspend (this guest), or the server is not active with a running guest
     */
    @Transactional
    public long suspendGuest(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        requireStatus(row, ServerStatus.ACTIVE, "suspend");
        requireSuspendable(row);
        if (row.powerState() != PowerState.RUNNING) {
            throw new ConflictException("cannot suspend a server whose guest is " + row.powerState().id() + "; only a running guest can be suspended");
        }
        return enqueue(actor, row, JobKind.SUSPEND, "{}");
    }

    /** Resumes a guest its owner suspended, from its saved machine. */
    @Transactional
    public long resumeGuest(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        requireStatus(row, ServerStatus.ACTIVE, "resume");
        requireSuspendable(row);
        if (row.powerState() != PowerState.SUSPENDED) {
            throw new ConflictException("cannot resume a server whose guest is " + row.powerState().id() + "; only a suspended guest can be resumed");
        }
        return enqueue(actor, row, JobKind.RESUME, "{}");
    }

    /** The local driver decides; a guest on another node is checked by its node's job (no capability list here). */
    private void requireSuspendable(ServerRow row) {
        if (!nodeDrivers.isLocal(nodeName(row.nodeId()))) return;
        Optional<Suspend> suspend = registry.driver(BackendKind.fromId(row.backend())).flatMap(d -> d.capability(Suspend.class));
        if (suspend.isEmpty()) throw new ConflictException("this server's backend cannot suspend (" + row.backend() + ")");
        suspend.get().refusal(GuestId.of(row.guestId())).ifPresent(why -> {
            throw new ConflictException("this server cannot be suspended: " + why);
        });
    }

    private static void requireNotSuspended(ServerRow row, String action) {
        if (row.powerState() == PowerState.SUSPENDED) {
            throw new ConflictException("cannot " + action + " a server whose guest is suspended; resume it first");
        }
    }

    /**
     * Suspends a customer's server (unpaid bill, abuse): the guest is stopped and its owner can no longer start
     * it. Resellers and operators only. The owner asked for no shutdown, so where the backend can save the guest's
     * machine (the emulator, libvirt QEMU) it is saved rather than powered off, and {@link #unsuspend} resumes it where
     * it was; any other guest is powered off as before.
     */
    @Transactional
    public long suspend(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        if (actor.isCustomer()) throw new ForbiddenException("only your provider can suspend a server");
        ServerRow suspended = servers.transition(row, ServerStatus.SUSPENDED);
        events.publishEvent(new ServerAccessRevoked(serverId, ServerAccessRevoked.Reason.SUSPENDED));
        return enqueue(actor, suspended, JobKind.POWER_OFF, "{" + JobKind.SAVE_MACHINE + "}");
    }

    /** Lifts a suspension and starts the guest again (from its saved machine, if the suspension saved it). Resellers and operators only. */
    @Transactional
    public long unsuspend(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        if (actor.isCustomer()) throw new ForbiddenException("only your provider can lift a suspension");
        ServerRow active = servers.transition(row, ServerStatus.ACTIVE);
        return enqueue(actor, active, JobKind.START, "{}");
    }

    /** Destroys the guest and frees its address; the row stays as 'deleted' for the record. */
    @Transactional
    public long delete(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        ServerRow deleting = servers.transition(row, ServerStatus.DELETING);
        events.publishEvent(new ServerAccessRevoked(serverId, ServerAccessRevoked.Reason.DELETED));
        return enqueue(actor, deleting, JobKind.DELETE, "{}");
    }

    /** Usage counters of a running guest, if its backend reports them. */
    public Optional<GuestStats> stats(Actor actor, long serverId) {
        ServerRow row = see(actor, serverId);
        return localDriver(row).flatMap(d -> d.capability(Stats.class)).map(s -> s.read(GuestId.of(row.guestId())));
    }

    /**
     * Whether the actor may use this server's console now: the rule for opening one and for keeping it open.
     *
     * @throws NotFoundException the server is not the actor's to act on
     * @throws ConflictException the server is being deleted, or suspended (for its customer)
     */
    public void checkConsoleAccess(Actor actor, long serverId) {
        consoleRow(actor, serverId);
    }

    private ServerRow consoleRow(Actor actor, long serverId) {
        ServerRow row = actOn(actor, serverId);
        if (row.status() == ServerStatus.DELETED || row.status() == ServerStatus.DELETING) {
            throw new ConflictException("the server is " + row.status().id());
        }
        if (row.status() == ServerStatus.SUSPENDED && actor.isCustomer()) throw new ConflictException("the server is suspended");
        return row;
    }

    /** Attaches to the guest's serial console; the caller closes the stream. */
    public ConsoleStream openConsole(Actor actor, long serverId) {
        ServerRow row = consoleRow(actor, serverId);
        Driver driver = nodeDrivers.driver(row.nodeId(), row.backend());
        Console console = driver.capability(Console.class)
                .orElseThrow(() -> new ConflictException("the " + row.backend() + " backend has no console"));
        audit.record(actor, "server.console", "server", serverId, "");
        return console.open(GuestId.of(row.guestId()));
    }

    private Optional<Driver> localDriver(ServerRow row) {
        if (!nodeDrivers.isLocal(nodeName(row.nodeId()))) return Optional.empty();
        return registry.driver(BackendKind.fromId(row.backend()));
    }

    /** A power action of an active server (or one in rescue) that its provider has not suspended, carried out by a job of that kind. */
    private long powerAction(Actor actor, long serverId, String verb, JobKind kind) {
        ServerRow row = actOn(actor, serverId);
        // In rescue too: a start or reboot there boots the rescue system again (the driver keeps it until leave).
        if (row.status() != ServerStatus.RESCUE) requireStatus(row, ServerStatus.ACTIVE, verb);
        requireNotSuspended(row, verb);
        return enqueue(actor, row, kind, "{}");
    }

    private long enqueue(Actor actor, ServerRow row, JobKind kind, String params) {
        long jobId = jobs.enqueue(kind, row.id(), actor.accountId(), params, maxAttempts, clock.instant());
        audit.record(actor, "server." + kind.id(), "server", row.id(), row.hostname() + ", job " + jobId);
        return jobId;
    }

    private ServerRow see(Actor actor, long serverId) {
        return servers.find(serverId).filter(s -> AccessRules.canSeeServer(actor, s.ownerId(), s.ownerParentId()))
                .orElseThrow(() -> new NotFoundException("server", serverId));
    }

    /**
     * The server's row if the actor may act on it (not deleted), for other features' actions on a server (snapshots):
     * the same rule as every action here.
     *
     * @throws NotFoundException otherwise
     */
    public ServerRow actionable(Actor actor, long serverId) {
        return actOn(actor, serverId);
    }

    private ServerRow actOn(Actor actor, long serverId) {
        ServerRow row = see(actor, serverId);
        if (!AccessRules.canActOnServer(actor, row.ownerId(), row.ownerParentId())) throw new NotFoundException("server", serverId);
        if (row.status() == ServerStatus.DELETED) throw new NotFoundException("server", serverId);
        return row;
    }

    private static void requireStatus(ServerRow row, ServerStatus status, String action) {
        if (row.status() != status) throw new ConflictException("cannot " + action + " a server that is " + row.status().id());
    }

    private String nodeName(long nodeId) {
        return jdbc.sql("select name from node where id = ?").param(nodeId).query(String.class).optional().orElse("");
    }

    /** A row with its owner's reseller, for the access check. */
    private record Visible(Server server, Long ownerParentId) {}

    private static String visibility(Actor actor) {
        return AccessRules.serverVisibleSql(actor);
    }

    private Visible map(ResultSet rs, int row) throws SQLException {
        String backend = rs.getString("backend");
        String nodeName = rs.getString("node_name");
        Set<String> capabilities = nodeDrivers.isLocal(nodeName) ? registry.capabilities(BackendKind.fromId(backend)) : Set.of();
        return new Visible(new Server(rs.getLong("id"), rs.getString("guest_id"), rs.getString("hostname"),
                ServerStatus.fromId(rs.getString("status")), PowerState.fromId(rs.getString("power_state")), rs.getString("ipv4"),
                rs.getLong("plan_id"), rs.getString("plan_name"), backend, rs.getInt("vcpus"), rs.getLong("memory_mib"),
                rs.getLong("disk_mib"), rs.getInt("bandwidth_mbit"), rs.getLong("node_id"), nodeName, rs.getLong("owner_id"),
                rs.getString("owner_username"), rs.getString("template"), (Long) rs.getObject("active_job_id"), capabilities,
                rs.getLong("version"), rs.getTimestamp("created_at").toInstant()), (Long) rs.getObject("owner_parent_id"));
    }
}
