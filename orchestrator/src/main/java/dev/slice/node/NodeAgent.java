package dev.slice.node;

import dev.slice.audit.AuditLog;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.ipam.IpPool;
import dev.slice.ipam.IpamService;
import dev.slice.orchestrator.SliceProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This process as the agent of its node ({@code slice.roles} has {@code node-agent}): at start it registers the node
 * (address, capacity, what each backend's probe found, its IP pool and bridge), proving itself with the node's
 * credential, then heartbeats into PostgreSQL every {@code slice.node.heartbeat-interval}. The job worker claims the
 * jobs of {@link #servedNodes()} only. It starts before the worker and stops after it (its phase), so the worker's
 * jobs are given back while the node still counts as alive.
 */
public class NodeAgent implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final SliceProperties properties;
    private final DriverRegistry registry;
    private final NodeService nodes;
    private final IpamService ipam;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final String instance;
    private ScheduledExecutorService beats;
    private volatile Long nodeId;
    private volatile boolean accepted;

    /** @param jdbc a client whose statements time out (every wait on the database has a deadline) */
    public NodeAgent(SliceProperties properties, DriverRegistry registry, NodeService nodes, IpamService ipam, AuditLog audit,
                     JdbcClient jdbc, String instance) {
        this.properties = properties;
        this.registry = registry;
        this.nodes = nodes;
        this.ipam = ipam;
        this.audit = audit;
        this.jdbc = jdbc;
        this.instance = instance;
    }

    /** The nodes whose jobs this process may claim: its own while its registration holds, else none. */
    public Set<Long> servedNodes() {
        Long id = nodeId;
        return id != null && accepted ? Set.of(id) : Set.of();
    }

    /** host/pid/random of this process; the job worker uses it too, so job rows and node rows name the same process. */
    public String instance() {
        return instance;
    }

    public Optional<Long> nodeId() {
        return Optional.ofNullable(nodeId);
    }

    @Override
    public synchronized void start() {
        if (!properties.isNodeAgent() || beats != null) return;
        long id = register();
        nodeId = id;
        accepted = true;
        long every = properties.node().heartbeatInterval().toMillis();
        beats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-heartbeat").daemon().factory());
        beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        log.info("Node agent of {} (node {}) registered as {}; heartbeat every {} ms", properties.nodeName(), id, instance, every);
    }

    @Override
    public synchronized void stop() {
        if (beats == null) return;
        beats.shutdownNow();
        try {
            beats.awaitTermination(properties.node().heartbeatInterval().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        beats = null;
        accepted = false;
        log.info("Node agent of {} stopped", properties.nodeName());
    }

    @Override
    public synchronized boolean isRunning() {
        return beats != null;
    }

    /** Before the job worker's lifecycle (the default phase): started first, stopped last. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    private long register() {
        String name = properties.nodeName();
        String presented = NodeCredentials.hash(properties.node().credential());
        Optional<Node> existing = nodes.findByName(name);
        long id;
        if (existing.isPresent()) {
            id = existing.get().id();
        } else if (properties.isControlPlane() && presented == null) {
            // A single host: its own node is made here, as it always was.
            SliceProperties.Bootstrap b = properties.bootstrap();
            id = nodes.ensure(name, HostCapacity.measure(registry.statuses(), properties.dataDir()),
                    b.cpuOvercommit(), b.memoryOvercommit(), b.diskOvercommit());
        } else {
            throw new IllegalStateException("node " + name + " is not known: an operator adds it first (POST /api/nodes with"
                    + " {\"name\": \"" + name + "\"}) and gives this agent the credential of the answer (slice.node.credential)");
        }
        jdbc.sql("insert into node_agent (node_id) values (?) on conflict do nothing").param(id).update();
        String stored = jdbc.sql("select credential_hash from node_agent where node_id = ?").param(id).query(String.class).optional()
                .orElse(null);
        if (stored == null && !properties.isControlPlane()) {
            throw new IllegalStateException("node " + name + " has no credential, so no agent on another host can register it;"
                    + " an operator issues one with POST /api/nodes/" + id + "/credential");
        }
        if (stored != null && !NodeCredentials.same(stored, presented)) {
            throw new IllegalStateException("the credential of node " + name + " does not match (slice.node.credential or"
                    + " SLICE_NODE_CREDENTIAL); an operator issues a new one with POST /api/nodes/" + id + "/credential");
        }
        nodes.fillCapacity(id, HostCapacity.measure(registry.statuses(), properties.dataDir()));
        nodes.recordProbes(id, registry.statuses());
        String libvirtUri = properties.drivers().get("qemu.uri");
        if (libvirtUri != null) {
            jdbc.sql("update node set libvirt_uri = ? where id = ? and libvirt_uri is null").params(libvirtUri, id).update();
        }
        if (properties.bootstrap().enabled()) ensurePool(id, name);
        String was = jdbc.sql("""
                update node_agent a set address = :address, instance = :instance, heartbeat_interval_ms = :every,
                  heartbeat_at = statement_timestamp(), registered_at = statement_timestamp(), state = 'online',
                  state_since = case when a.state = 'online' then a.state_since else statement_timestamp() end
                from (select state from node_agent where node_id = :id) old
                where a.node_id = :id and a.credential_hash is not distinct from :hash::text returning old.state""")
                .param("address", address()).param("instance", instance).param("every", properties.node().heartbeatInterval().toMillis())
                .param("id", id).param("hash", stored).query(String.class).single();
        audit.recordAnonymous("node.agent.registered", "node", id, name + " at " + address() + " (" + instance + "), was " + was);
        return id;
    }

    private void ensurePool(long id, String name) {
        SliceProperties.Bootstrap b = properties.bootstrap();
        IpPool pool = ipam.ensurePool(id, name + "-default", b.poolNetwork(), b.poolGateway(), b.bridge(),
                b.dns() == null ? List.of() : b.dns().stream().filter(s -> !s.isBlank()).toList());
        if (!b.configureBridge()) return;
        try {
            HostBridge bridge = new HostBridge(registry.context().processes());
            bridge.ensure(pool.bridge());
            bridge.ensureAddress(pool.bridge(), pool.gatewayCidr());
            log.info("Bridge {} is up with gateway {}", pool.bridge(), pool.gatewayCidr());
        } catch (RuntimeException e) {
            log.warn("Could not set up bridge {} with {}: {} (guests will have no network until it exists)",
                    pool.bridge(), pool.gatewayCidr(), e.getMessage());
        }
    }

    /** One heartbeat; a credential changed by the operator ends this agent's claims (it must be restarted with the new one). */
    void beat() {
        Long id = nodeId;
        if (id == null) return;
        try {
            String was = jdbc.sql("""
                    update node_agent a set heartbeat_at = statement_timestamp(), instance = :instance, state = 'online',
                      state_since = case when a.state = 'online' then a.state_since else statement_timestamp() end
                    from (select state, credential_hash from node_agent where node_id = :id) old
                    where a.node_id = :id and old.credential_hash is not distinct from :hash::text returning old.state""")
                    .param("instance", instance).param("id", id).param("hash", NodeCredentials.hash(properties.node().credential()))
                    .query(String.class).optional().orElse(null);
            if (was == null) {
                if (accepted) log.error("Node {}: its credential was changed or removed; this agent claims no more jobs", id);
                accepted = false;
                return;
            }
            accepted = true;
            if (AgentState.fromId(was) == AgentState.UNREACHABLE) {
                audit.recordAnonymous("node.reachable", "node", id, properties.nodeName() + " heartbeats again");
                log.info("Node {} is reachable again", properties.nodeName());
            }
        } catch (RuntimeException e) {
            log.warn("Heartbeat of node {} failed: {}", properties.nodeName(), e.toString());
        }
    }

    private String address() {
        String configured = properties.node().address();
        if (configured != null && !configured.isBlank()) return configured.strip();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** Statement timeout for this agent's own database calls: a heartbeat must not hang longer than a few intervals. */
    public static int queryTimeoutSeconds(Duration heartbeatInterval) {
        return (int) Math.max(2, heartbeatInterval.toSeconds() * 2);
    }
}
