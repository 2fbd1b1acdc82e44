package dev.slice.placement;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The one home of "which nodes may take a server of this backend" and "what is allocated on them", for the order's
 * locked placement and for the panel's unlocked questions (could a plan ever be placed, can it be placed now).
 * A server being deleted no longer counts: its customer has given it up and its destroy job is under way, so an order
 * placed right after a delete (the retry that used to succeed seconds later) takes its room.
 */
final class NodeLoads {
    private NodeLoads() {}

    /** The enabled, reachable nodes offering {@code backend}, in id order; locked when {@code lock}. */
    static List<Long> candidates(JdbcClient jdbc, String backend, String nodeGroup, Long onlyNode, boolean lock) {
        return jdbc.sql("""
                select n.id from node n join node_backend b on b.node_id = n.id and b.backend = :backend and b.available
                left join node_agent a on a.node_id = n.id
                where n.enabled and a.state is distinct from 'unreachable'
                  and (:only::bigint is null and not n.draining or n.id = :only)
                  and (:group::text is null or n.node_group = :group)
                order by n.id""" + (lock ? " for update of n" : ""))
                .param("backend", backend).param("only", onlyNode).param("group", nodeGroup)
                .query(Long.class).list();
    }

    /** Capacity and allocation of {@code ids}, not counting {@code excludeServer}; {@code owner}'s servers counted apart. */
    static List<NodeLoad> of(JdbcClient jdbc, List<Long> ids, Long excludeServer, Long owner) {
        if (ids.isEmpty()) return List.of();
        return jdbc.sql("""
                select n.*, coalesce(sum(s.vcpus), 0) as used_cpu, coalesce(sum(s.memory_mib), 0) as used_mem,
                       coalesce(sum(s.disk_mib), 0) as used_disk, count(s.id) filter (where s.owner_id = :owner) as owners
                from node n left join server s on s.node_id = n.id and s.status not in ('deleted', 'deleting')
                     and (:exclude::bigint is null or s.id <> :exclude)
                where n.id in (:ids) group by n.id order by n.id""")
                .param("ids", ids).param("exclude", excludeServer).param("owner", owner)
                .query((rs, row) -> new NodeLoad(rs.getLong("id"), rs.getString("name"), rs.getInt("cpus"), rs.getLong("memory_mib"),
                        rs.getLong("disk_mib"), rs.getDouble("cpu_overcommit"), rs.getDouble("memory_overcommit"),
                        rs.getDouble("disk_overcommit"), rs.getLong("used_cpu"), rs.getLong("used_mem"), rs.getLong("used_disk"),
                        rs.getInt("owners")))
                .list();
    }
}
