package dev.slice.node;

import dev.slice.audit.AuditLog;
import dev.slice.orchestrator.SliceProperties;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The control plane's view of its nodes' agents: a node whose agent has not heartbeaten for
 * {@code slice.node.missed-heartbeats} of its own intervals is marked unreachable, and its servers' power state becomes
 * unknown (nobody can see them now). Its jobs simply wait: only its own agent claims them. Times are the database's,
 * so hosts with clocks apart do not matter. The agent's next heartbeat makes it online again; its reconciler then
 * writes the power states it sees.
 */
public class NodeLiveness implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    /** A node that was just marked unreachable, with the time of its last heartbeat. */
    public record Lost(long nodeId, String name, java.time.Instant lastSeen) {}

    private final SliceProperties properties;
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private ScheduledExecutorService sweeps;

    /** @param jdbc a client whose statements time out */
    public NodeLiveness(SliceProperties properties, JdbcClient jdbc, AuditLog audit, java.time.Clock clock) {
        this.clock = clock;
        this.properties = properties;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Marks the nodes that missed their heartbeats; returns those it marked now. */
    public List<Lost> sweep() {
        List<Lost> lost = jdbc.sql("""
                update node_agent a set state = 'unreachable', state_since = statement_timestamp() from node n
                where n.id = a.node_id and a.state = 'online'
                  and a.heartbeat_at < statement_timestamp() - make_interval(secs => a.heartbeat_interval_ms * :missed / 1000.0)
                returning a.node_id, n.name, a.heartbeat_at""")
                .param("missed", properties.node().missedHeartbeats())
                .query((rs, row) -> new Lost(rs.getLong("node_id"), rs.getString("name"), rs.getTimestamp("heartbeat_at").toInstant()))
                .list();
        for (Lost node : lost) {
            int servers = jdbc.sql("""
                    update server set power_state = 'unknown', updated_at = ? where node_id = ? and status <> 'deleted'
                      and power_state <> 'unknown'""")
                    .params(Timestamp.from(clock.instant()), node.nodeId()).update();
            audit.recordAnonymous("node.unreachable", "node", node.nodeId(), node.name() + ": no heartbeat since " + node.lastSeen()
                    + "; power of " + servers + " server(s) unknown, its jobs wait for it");
            log.warn("Node {} is unreachable: no heartbeat since {}; its jobs wait until its agent is back", node.name(), node.lastSeen());
        }
        return lost;
    }

    @Override
    public synchronized void start() {
        if (!properties.isControlPlane() || sweeps != null) return;
        long every = properties.node().heartbeatInterval().toMillis();
        sweeps = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-liveness").daemon().factory());
        sweeps.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("Checking the nodes' heartbeats failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sweeps != null) sweeps.shutdownNow();
        sweeps = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeps != null;
    }
}
