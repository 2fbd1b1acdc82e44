package dev.slice.placement;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Picks a node inside the caller's transaction. The candidate node rows are locked ({@code FOR UPDATE}, in
 * id order so two orders never deadlock) before their load is summed, so a concurrent order waits until
 * this one has inserted its server or rolled back: two orders never take the same last slot.
 */
@Service
public class PlacementService {
    private final JdbcClient jdbc;

    public PlacementService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks the nodes offering the backend and returns the chosen one; the caller inserts the server before committing. */
    @Transactional(propagation = Propagation.MANDATORY)
    public NodeLoad place(String backend, Demand demand) {
        return place(backend, demand, Constraints.NONE);
    }

    /** As above, within {@code constraints}: the plan's node group, the customer's servers spread or kept apart. */
    @Transactional(propagation = Propagation.MANDATORY)
    public NodeLoad place(String backend, Demand demand, Constraints constraints) {
        return place(backend, demand, constraints, null, null);
    }

    /** On {@code onlyNode} (resizing in place, also on a draining node), not counting {@code excludeServer}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public NodeLoad place(String backend, Demand demand, Long onlyNode, Long excludeServer) {
        return place(backend, demand, Constraints.NONE, onlyNode, excludeServer);
    }

    private NodeLoad place(String backend, Demand demand, Constraints constraints, Long onlyNode, Long excludeServer) {
        List<Long> locked = jdbc.sql("""
                select n.id from node n join node_backend b on b.node_id = n.id and b.backend = :backend and b.available
                left join node_agent a on a.node_id = n.id
                where n.enabled and a.state is distinct from 'unreachable'
                  and (:only::bigint is null and not n.draining or n.id = :only)
                  and (:group::text is null or n.node_group = :group)
                order by n.id for update of n""")
                .param("backend", backend).param("only", onlyNode).param("group", constraints.nodeGroup())
                .query(Long.class).list();
        String where = constraints.nodeGroup() == null ? "" : " in group " + constraints.nodeGroup();
        if (locked.isEmpty()) {
            throw new NoCapacityException("no node" + where + " offers the " + backend + " backend at the moment");
        }
        List<NodeLoad> loads = jdbc.sql("""
                select n.*, coalesce(sum(s.vcpus), 0) as used_cpu, coalesce(sum(s.memory_mib), 0) as used_mem,
                       coalesce(sum(s.disk_mib), 0) as used_disk, count(s.id) filter (where s.owner_id = :owner) as owners
                from node n left join server s on s.node_id = n.id and s.status <> 'deleted'
                     and (:exclude::bigint is null or s.id <> :exclude)
                where n.id in (:ids) group by n.id order by n.id""")
                .param("ids", locked).param("exclude", excludeServer).param("owner", constraints.ownerId())
                .query((rs, row) -> new NodeLoad(rs.getLong("id"), rs.getString("name"), rs.getInt("cpus"), rs.getLong("memory_mib"),
                        rs.getLong("disk_mib"), rs.getDouble("cpu_overcommit"), rs.getDouble("memory_overcommit"),
                        rs.getDouble("disk_overcommit"), rs.getLong("used_cpu"), rs.getLong("used_mem"), rs.getLong("used_disk"),
                        rs.getInt("owners")))
                .list();
        if (loads.stream().noneMatch(n -> PlacementRule.fitsEmpty(n, demand))) {
            throw new NoCapacityException("this plan (" + demand.vcpus() + " vCPUs, " + demand.memoryMiB() + " MiB memory, "
                    + demand.diskMiB() + " MiB disk) is larger than any node offering " + backend + where);
        }
        if (constraints.separate() && PlacementRule.choose(loads, demand).isPresent()) {
            return PlacementRule.choose(loads, demand, true).orElseThrow(() -> new NoCapacityException(
                    "no node" + where + " without another of your servers has room for this plan; order it without"
                            + " separateFromMyServers, or later"));
        }
        return PlacementRule.choose(loads, demand).orElseThrow(() -> new NoCapacityException(
                "no capacity left for this plan on the " + backend + " nodes" + where + "; try a smaller plan or later"));
    }
}
