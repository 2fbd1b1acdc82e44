package dev.slice.node;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.driver.Capacity;
import dev.slice.driver.registry.BackendStatus;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Nodes for operators: capacity, use, overcommit ratios and what each backend's probe found. */
@Service
public class NodeService {
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public NodeService(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    public List<NodeView> list(Actor actor) {
        requireOperator(actor);
        return jdbc.sql("select * from node order by id").query(NodeService::map).list().stream().map(this::view).toList();
    }

    public NodeView get(Actor actor, long nodeId) {
        requireOperator(actor);
        return find(nodeId).map(this::view).orElseThrow(() -> new NotFoundException("node", nodeId));
    }

    @Transactional
    public NodeView setOvercommit(Actor actor, long nodeId, double cpu, double memory, double disk) {
        requireOperator(actor);
        OvercommitLimits.check(cpu, memory, disk);
        int changed = jdbc.sql("update node set cpu_overcommit = ?, memory_overcommit = ?, disk_overcommit = ? where id = ?")
                .params(cpu, memory, disk, nodeId).update();
        if (changed == 0) throw new NotFoundException("node", nodeId);
        audit.record(actor, "node.overcommit", "node", nodeId, "cpu " + cpu + ", memory " + memory + ", disk " + disk);
        return get(actor, nodeId);
    }

    /**
     * Puts the node in a group (a location plans can be pinned to) and drains it or takes it back: a draining node
     * takes no new servers; its servers keep running and can still be resized in place.
     */
    @Transactional
    public NodeView setPlacement(Actor actor, long nodeId, String nodeGroup, boolean draining) {
        requireOperator(actor);
        String group = dev.slice.plan.NodeGroups.require("nodeGroup", nodeGroup);
        int changed = jdbc.sql("update node set node_group = ?, draining = ? where id = ?").params(group, draining, nodeId).update();
        if (changed == 0) throw new NotFoundException("node", nodeId);
        audit.record(actor, draining ? "node.drain" : "node.placement", "node", nodeId,
                "group " + group + (draining ? ", draining: no new servers" : ", takes new servers"));
        return get(actor, nodeId);
    }

    public Optional<Node> find(long nodeId) {
        return jdbc.sql("select * from node where id = ?").param(nodeId).query(NodeService::map).optional();
    }

    public Optional<Node> findByName(String name) {
        return jdbc.sql("select * from node where name = ?").param(name).query(NodeService::map).optional();
    }

    /** Creates the node if it is missing; returns its id. Capacity of an existing node is left as the operator set it. */
    @Transactional
    public long ensure(String name, Capacity capacity, double cpuOvercommit, double memoryOvercommit, double diskOvercommit) {
        Optional<Node> existing = findByName(name);
        if (existing.isPresent()) return existing.get().id();
        OvercommitLimits.check(cpuOvercommit, memoryOvercommit, diskOvercommit);
        long id = jdbc.sql("""
                insert into node (name, cpus, memory_mib, disk_mib, cpu_overcommit, memory_overcommit, disk_overcommit, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(name, capacity.cpus(), capacity.memoryMiB(), capacity.diskMiB(), cpuOvercommit, memoryOvercommit,
                        diskOvercommit, Timestamp.from(clock.instant()))
                .query(Long.class).single();
        audit.record(null, "node.create", "node", id, name + " " + capacity);
        return id;
    }

    /** Stores the latest probe outcome of every backend on the node. */
    @Transactional
    public void recordProbes(long nodeId, List<BackendStatus> statuses) {
        Timestamp now = Timestamp.from(clock.instant());
        for (BackendStatus status : statuses) {
            jdbc.sql("""
                    insert into node_backend (node_id, backend, driver_name, available, version, detail, probed_at, cpus, memory_mib,
                                              disk_mib)
                    values (:node, :backend, :driver, :available, :version, :detail, :now, :cpus, :memory, :disk)
                    on conflict (node_id, backend) do update set driver_name = excluded.driver_name, available = excluded.available,
                      version = excluded.version, detail = excluded.detail, probed_at = excluded.probed_at, cpus = excluded.cpus,
                      memory_mib = excluded.memory_mib, disk_mib = excluded.disk_mib""")
                    .param("node", nodeId).param("backend", status.kind().id())
                    .param("driver", status.driverName() == null ? "" : status.driverName())
                    .param("available", status.available()).param("version", status.version())
                    .param("detail", status.detail()).param("now", now)
                    .param("cpus", status.capacity() == null ? null : status.capacity().cpus())
                    .param("memory", status.capacity() == null ? null : status.capacity().memoryMiB())
                    .param("disk", status.capacity() == null ? null : status.capacity().diskMiB())
                    .update();
        }
    }

    /**
     * Adds a node for an agent on another host. Its capacity is unknown (0) until the agent registers; the answer
     * carries the node's credential, which is not stored (only its hash) and not shown again.
     */
    @Transactional
    public NewNode add(Actor actor, String name) {
        requireOperator(actor);
        String checked = checkName(name);
        if (findByName(checked).isPresent()) throw new ConflictException("there is a node named " + checked + " already");
        long id = jdbc.sql("insert into node (name, cpus, memory_mib, disk_mib, created_at) values (?, 0, 0, 0, ?) returning id")
                .params(checked, Timestamp.from(clock.instant())).query(Long.class).single();
        String credential = NodeCredentials.generate();
        jdbc.sql("""
                insert into node_agent (node_id, credential_hash, credential_created_at) values (?, ?, ?)""")
                .params(id, NodeCredentials.hash(credential), Timestamp.from(clock.instant())).update();
        audit.record(actor, "node.create", "node", id, checked + " (for a node agent)");
        return new NewNode(get(actor, id), credential);
    }

    /** A new credential for the node; the old one stops working at the agent's next heartbeat. */
    @Transactional
    public NewNode newCredential(Actor actor, long nodeId) {
        requireOperator(actor);
        find(nodeId).orElseThrow(() -> new NotFoundException("node", nodeId));
        String credential = NodeCredentials.generate();
        jdbc.sql("""
                insert into node_agent (node_id, credential_hash, credential_created_at) values (:id, :hash, :now)
                on conflict (node_id) do update set credential_hash = excluded.credential_hash,
                  credential_created_at = excluded.credential_created_at""")
                .param("id", nodeId).param("hash", NodeCredentials.hash(credential)).param("now", Timestamp.from(clock.instant()))
                .update();
        audit.record(actor, "node.credential", "node", nodeId, "new credential issued");
        return new NewNode(get(actor, nodeId), credential);
    }

    /** Writes the capacity an agent measured, unless the node has one already (the operator's or an earlier agent's). */
    public void fillCapacity(long nodeId, Capacity capacity) {
        jdbc.sql("update node set cpus = ?, memory_mib = ?, disk_mib = ? where id = ? and cpus = 0 and memory_mib = 0 and disk_mib = 0")
                .params(capacity.cpus(), capacity.memoryMiB(), capacity.diskMiB(), nodeId).update();
    }

    /** Like a DNS label: what a host is called, and safe in pool names and logs. */
    static String checkName(String name) {
        if (name == null || name.isBlank()) throw new ValidationException("name", "name the node");
        if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new ValidationException("name", "1-63 of a-z, 0-9 and '-', not starting or ending with '-'");
        }
        return name;
    }

    private NodeView view(Node node) {
        var used = jdbc.sql("""
                select coalesce(sum(vcpus), 0) as cpu, coalesce(sum(memory_mib), 0) as mem, coalesce(sum(disk_mib), 0) as disk,
                       count(*) as n from server where node_id = ? and status <> 'deleted'""")
                .param(node.id())
                .query((rs, n) -> new long[] {rs.getLong("cpu"), rs.getLong("mem"), rs.getLong("disk"), rs.getLong("n")}).single();
        Map<String, NodeBackend.Held> held = new HashMap<>();
        jdbc.sql("""
                select backend, count(*) as n, coalesce(sum(vcpus), 0) as cpu, coalesce(sum(memory_mib), 0) as mem,
                       coalesce(sum(disk_mib), 0) as disk from server where node_id = ? and status <> 'deleted' group by backend""")
                .param(node.id())
                .query((rs, n) -> held.put(rs.getString("backend"), new NodeBackend.Held(rs.getInt("n"), rs.getInt("cpu"), rs.getLong("mem"),
                        rs.getLong("disk"))))
                .list();
        List<NodeBackend> backends = jdbc.sql("select * from node_backend where node_id = ? order by backend").param(node.id())
                .query((rs, n) -> new NodeBackend(rs.getString("backend"), rs.getString("driver_name"), rs.getBoolean("available"),
                        rs.getString("version"), rs.getString("detail"), rs.getTimestamp("probed_at").toInstant(),
                        rs.getObject("memory_mib") == null ? null
                                : new Capacity(rs.getInt("cpus"), rs.getLong("memory_mib"), rs.getLong("disk_mib")),
                        held.getOrDefault(rs.getString("backend"), NodeBackend.Held.NONE)))
                .list();
        NodeAgentStatus agent = jdbc.sql("select * from node_agent where node_id = ?").param(node.id())
                .query((rs, n) -> new NodeAgentStatus(AgentState.fromId(rs.getString("state")), instant(rs.getTimestamp("state_since")),
                        instant(rs.getTimestamp("heartbeat_at")), instant(rs.getTimestamp("registered_at")), rs.getString("address"),
                        rs.getString("instance"), java.time.Duration.ofMillis(rs.getLong("heartbeat_interval_ms")),
                        rs.getString("credential_hash") != null))
                .optional().orElse(null);
        return new NodeView(node, (int) used[0], used[1], used[2], (int) used[3], backends, agent);
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static Node map(ResultSet rs, int row) throws SQLException {
        return new Node(rs.getLong("id"), rs.getString("name"), rs.getInt("cpus"), rs.getLong("memory_mib"), rs.getLong("disk_mib"),
                rs.getDouble("cpu_overcommit"), rs.getDouble("memory_overcommit"), rs.getDouble("disk_overcommit"),
                rs.getString("libvirt_uri"), rs.getBoolean("enabled"), rs.getString("node_group"), rs.getBoolean("draining"));
    }

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators manage nodes");
    }
}
