package dev.slice.placement;

import dev.slice.driver.BackendKind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * What the nodes can hold, for the people who make and show plans (no locks: a hint, the order's placement decides):
 * which backends some node offers and why the others are missing, whether a plan could ever be placed, and whether it
 * can be placed now.
 */
@Service
public class PlanCapacity {
    private final JdbcClient jdbc;

    public PlanCapacity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Why no node could ever hold a server of this size (naming the largest node's figures), or empty if one can. */
    public Optional<String> neverPlaceable(String backend, String nodeGroup, Demand demand) {
        String where = nodeGroup == null ? "" : " in group " + nodeGroup;
        List<NodeLoad> nodes = NodeLoads.of(jdbc, NodeLoads.candidates(jdbc, backend, nodeGroup, null, false), null, null);
        if (nodes.isEmpty()) return Optional.of("no node" + where + " offers the " + backend + " backend");
        if (nodes.stream().anyMatch(n -> PlacementRule.fitsEmpty(n, demand))) return Optional.empty();
        return Optional.of("no node offering " + backend + where + " can ever hold " + demand.vcpus() + " vCPUs, "
                + demand.memoryMiB() + " MiB memory and " + demand.diskMiB() + " MiB disk: " + PlacementRule.largest(nodes));
    }

    /** Whether a server of this size would be placed now (the catalogue shows the others as unavailable). */
    public boolean placeableNow(String backend, String nodeGroup, Demand demand) {
        List<NodeLoad> nodes = NodeLoads.of(jdbc, NodeLoads.candidates(jdbc, backend, nodeGroup, null, false), null, null);
        return PlacementRule.choose(nodes, demand).isPresent();
    }

    /** The backends available on at least one enabled node. */
    public Set<BackendKind> offeredBackends() {
        Set<BackendKind> offered = EnumSet.noneOf(BackendKind.class);
        jdbc.sql("select distinct b.backend from node_backend b join node n on n.id = b.node_id where n.enabled and b.available")
                .query(String.class).list().forEach(id -> offered.add(BackendKind.fromId(id)));
        return offered;
    }

    /**
     * For each backend no enabled node offers, why: the probes' details ("xen: this host has no such setting"), or
     * that no node has reported on it.
     */
    public Map<BackendKind, String> missingBackends() {
        Set<BackendKind> offered = offeredBackends();
        Map<BackendKind, Set<String>> details = new EnumMap<>(BackendKind.class);
        jdbc.sql("""
                select b.backend, coalesce(b.detail, 'unavailable') as detail from node_backend b join node n on n.id = b.node_id
                where n.enabled and not b.available order by n.id""")
                .query((rs, row) -> Map.entry(rs.getString("backend"), rs.getString("detail"))).list()
                .forEach(e -> details.computeIfAbsent(BackendKind.fromId(e.getKey()), k -> new LinkedHashSet<>()).add(e.getValue()));
        Map<BackendKind, String> missing = new EnumMap<>(BackendKind.class);
        for (BackendKind kind : BackendKind.values()) {
            if (offered.contains(kind)) continue;
            missing.put(kind, details.containsKey(kind) ? String.join("; ", details.get(kind)) : "no node has reported this backend");
        }
        return missing;
    }
}
