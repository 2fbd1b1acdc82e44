package dev.slice.reconciler;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestState;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ForbiddenException;
import dev.slice.firewall.FirewallChanged;
import dev.slice.firewall.FirewallEnforcement;
import dev.slice.node.Node;
import dev.slice.node.NodeService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.report.ReportRepository;
import dev.slice.security.AccessRules;
import dev.slice.server.PowerState;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Compares what each driver of this node really runs ({@link Driver#list()}) with the database: updates
 * observed power states, and records orphans (guests without a server) and lost servers (no guest) in the
 * audit log and as findings for operators, and applies each present guest's firewall again. It never creates or deletes a guest. Guests of a benchmark run still
 * going are the run's, not orphans; once the run has ended, any left would be.
 */
@Service
public class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Servers whose guest may legitimately be missing right now (a job is creating or deleting it). */
    private static final Set<ServerStatus> IN_FLUX = Set.of(ServerStatus.PROVISIONING, ServerStatus.REINSTALLING,
            ServerStatus.DELETING, ServerStatus.DELETED, ServerStatus.FAILED);

    private final JdbcClient jdbc;
    private final DriverRegistry registry;
    private final NodeDrivers nodeDrivers;
    private final NodeService nodes;
    private final ServerRepository servers;
    private final AuditLog audit;
    private final Clock clock;
    private final ReportRepository reports;
    private final FirewallEnforcement firewalls;

    public Reconciler(JdbcClient jdbc, DriverRegistry registry, NodeDrivers nodeDrivers, NodeService nodes, ServerRepository servers,
                      AuditLog audit, Clock clock, ReportRepository reports, FirewallEnforcement firewalls) {
        this.firewalls = firewalls;
        this.jdbc = jdbc;
        this.registry = registry;
        this.nodeDrivers = nodeDrivers;
        this.nodes = nodes;
        this.servers = servers;
        this.audit = audit;
        this.clock = clock;
        this.reports = reports;
    }

    /** One pass over this node's available drivers; returns the findings that are open afterwards. */
    public synchronized List<Finding> runOnce() {
        Optional<Node> node = nodes.findByName(nodeDrivers.localNodeName());
        if (node.isEmpty()) return List.of();
        for (Driver driver : registry.availableDrivers()) {
            try {
                reconcile(node.get(), driver);
            } catch (RuntimeException e) {
                log.warn("Reconciling {} on node {} failed: {}", driver.name(), node.get().name(), e.toString());
            }
        }
        return open();
    }

    private void reconcile(Node node, Driver driver) {
        String backend = driver.kind().id();
        Map<String, GuestState> guests = new HashMap<>();
        for (GuestInfo info : driver.list()) guests.put(info.id().value(), info.state());
        Set<String> known = new HashSet<>();
        Set<String> stillOpen = new HashSet<>();
        for (ServerRow server : servers.onNode(node.id(), backend)) {
            known.add(server.guestId());
            GuestState state = guests.get(server.guestId());
            if (state == null || state == GuestState.ABSENT) {
                if (IN_FLUX.contains(server.status()) || hasActiveJob(server.id())) continue;
                servers.observePower(server.id(), PowerState.UNKNOWN);
                report(node, backend, server.guestId(), server.id(), "lost",
                        "server " + server.hostname() + " (" + server.status().id() + ") has no guest " + server.guestId() + " on " + driver.name());
                stillOpen.add(key("lost", server.guestId()));
            } else if (!hasActiveJob(server.id())) {
                // A suspended guest is listed as stopped; it is neither lost nor to be started.
                servers.observePower(server.id(), PowerState.observed(driver, GuestId.of(server.guestId()), state));
                applyFirewall(driver, server);
            }
        }
        // Any guest no live server claims is an orphan, including guests of servers marked deleted.
        for (String guest : guests.keySet()) {
            if (known.contains(guest)) continue;
            if (reports.heldByActiveRun(guest)) continue; // a benchmark run's guest; its clean-up destroys it
            report(node, backend, guest, null, "orphan", "guest " + guest + " on " + driver.name() + " belongs to no server");
            stillOpen.add(key("orphan", guest));
        }
        resolveOthers(node.id(), backend, stillOpen);
    }

    /** Every pass, so the rules come back after a restart of the host or of Slice, or a flushed ruleset. */
    private void applyFirewall(Driver driver, ServerRow server) {
        if (server.status() == ServerStatus.DELETED) return;
        try {
            firewalls.apply(driver, server);
        } catch (RuntimeException e) {
            log.warn("The firewall of server {} could not be applied on {}: {}", server.id(), driver.name(), e.getMessage());
        }
    }

    /** A changed firewall is applied at once when its server's node is this one; others' agents apply it at their next pass. */
    @EventListener
    public void on(FirewallChanged changed) {
        servers.find(changed.serverId()).ifPresent(server -> {
            Optional<Node> node = nodes.find(server.nodeId());
            if (node.isEmpty() || !nodeDrivers.isLocal(node.get().name())) return;
            try {
                applyFirewall(nodeDrivers.driver(server.nodeId(), server.backend()), server);
            } catch (RuntimeException e) {
                log.warn("The firewall of server {} waits for the next pass: {}", server.id(), e.getMessage());
            }
        });
    }

    private boolean hasActiveJob(long serverId) {
        return jdbc.sql("select exists(select 1 from job where server_id = ? and status in ('queued', 'running'))")
                .param(serverId).query(Boolean.class).single();
    }

    private void report(Node node, String backend, String guestId, Long serverId, String kind, String message) {
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.sql("""
                update reconcile_finding set last_seen = ? where node_id = ? and backend = ? and guest_id = ? and kind = ?
                and resolved_at is null""").params(now, node.id(), backend, guestId, kind).update();
        if (updated > 0) return;
        jdbc.sql("""
                insert into reconcile_finding (node_id, backend, guest_id, server_id, kind, first_seen, last_seen)
                values (?, ?, ?, ?, ?, ?, ?)""").params(node.id(), backend, guestId, serverId, kind, now, now).update();
        audit.record(null, "reconcile." + kind, serverId == null ? "guest" : "server", serverId == null ? guestId : serverId, message);
        log.warn("Reconciler: {}", message);
    }

    private void resolveOthers(long nodeId, String backend, Set<String> stillOpen) {
        Timestamp now = Timestamp.from(clock.instant());
        for (Finding finding : jdbc.sql("select * from reconcile_finding where node_id = ? and backend = ? and resolved_at is null")
                .params(nodeId, backend).query(Reconciler::map).list()) {
            if (!stillOpen.contains(key(finding.kind(), finding.guestId()))) {
                jdbc.sql("update reconcile_finding set resolved_at = ? where id = ?").params(now, finding.id()).update();
                audit.record(null, "reconcile.resolved", "guest", finding.guestId(), finding.kind() + " cleared");
            }
        }
    }

    /** Open findings, for operators. */
    public List<Finding> findings(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators see reconciler findings");
        return open();
    }

    private List<Finding> open() {
        return jdbc.sql("select * from reconcile_finding where resolved_at is null order by id").query(Reconciler::map).list();
    }

    private static String key(String kind, String guest) {
        return kind + ":" + guest;
    }

    private static Finding map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp resolved = rs.getTimestamp("resolved_at");
        return new Finding(rs.getLong("id"), rs.getLong("node_id"), rs.getString("backend"), rs.getString("guest_id"),
                (Long) rs.getObject("server_id"), rs.getString("kind"), rs.getTimestamp("first_seen").toInstant(),
                rs.getTimestamp("last_seen").toInstant(), resolved == null ? null : resolved.toInstant());
    }
}
