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
        return place(backend, demand, null);
    }

    /** As {@link #place(String, Demand)}, but only on {@code onlyNode} (resizing in place), not counting {@code excludeServer}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public NodeLoad place(String backend, Demand demand, Long onlyNode, Long excludeServer) {
        List<Long> locked = jdbc.sql("""
                select n.id from node n join node_backend b on b.node_id = n.id and b.backend = :backend and b.available
                left join node_agent a on a.node_id = n.id
                where n.enabled and a.state is distinct from 'unreachable' and (:only::bigint is null or n.id = :only) order by n.id for update of n""")
                .param("backend", backend).param("only", onlyNode).query(Long.class).list();
        if (locked.isEmpty()) {
            throw new NoCapacityException("no node offers the " + backend + " backend at the moment");
        }
        List<NodeLoad> loads = jdbc.sql("""
                select n.*, coalesce(sum(s.vcpus), 0) as used_cpu, coalesce(sum(s.memory_mib), 0) as used_mem,
                       coalesce(sum(s.disk_mib), 0) as used_disk
                from node n left join server s on s.node_id = n.id and s.status <> 'deleted'
                     and (:exclude::bigint is null or s.id <> :exclude)
                where n.id in (:ids) group by n.id order by n.id""")
                .param("ids", locked).param("exclude", excludeServer)
                .query((rs, row) -> new NodeLoad(rs.getLong("id"), rs.getString("name"), rs.getInt("cpus"), rs.getLong("memory_mib"),
                        rs.getLong("disk_mib"), rs.getDouble("cpu_overcommit"), rs.getDouble("memory_overcommit"),
                        rs.getDouble("disk_overcommit"), rs.getLong("used_cpu"), rs.getLong("used_mem"), rs.getLong("used_disk")))
                .list();
        if (loads.stream().noneMatch(n -> PlacementRule.fitsEmpty(n, demand))) {
            throw new NoCapacityException("this plan (" + demand.vcpus() + " vCPUs, " + demand.memoryMiB() + " MiB memory, "
                    + demand.diskMiB() + " MiB disk) is larger than any node offering " + backend);
        }
        return PlacementRule.choose(loads, demand).orElseThrow(() -> new NoCapacityException(
                "no capacity left for this plan on the " + backend + " nodes; try a smaller plan or later"));
    }

    private NodeLoad place(String backend, Demand demand, Long onlyNode) {
        return place(backend, demand, onlyNode, null);
    }
}
