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
        List<Long> locked = NodeLoads.candidates(jdbc, backend, constraints.nodeGroup(), onlyNode, true);
        String where = constraints.nodeGroup() == null ? "" : " in group " + constraints.nodeGroup();
        if (locked.isEmpty()) {
            throw NoCapacityException.aboutNodes("no node" + where + " offers the " + backend + " backend at the moment");
        }
        List<NodeLoad> loads = NodeLoads.of(jdbc, locked, excludeServer, constraints.ownerId());
        if (loads.stream().noneMatch(n -> PlacementRule.fitsEmpty(n, demand))) {
            throw NoCapacityException.aboutNodes("this plan (" + demand.vcpus() + " vCPUs, " + demand.memoryMiB() + " MiB memory, "
                    + demand.diskMiB() + " MiB disk) is larger than any node offering " + backend + where + "; "
                    + PlacementRule.largest(loads));
        }
        if (constraints.separate() && PlacementRule.choose(loads, demand).isPresent()) {
            return PlacementRule.choose(loads, demand, true).orElseThrow(() -> new NoCapacityException(
                    "no node" + where + " without another of your servers has room for this plan; order it without"
                            + " separateFromMyServers, or later"));
        }
        return PlacementRule.choose(loads, demand).orElseThrow(() -> NoCapacityException.aboutNodes(
                "no capacity left for this plan on the " + backend + " nodes" + where + ": " + PlacementRule.shortage(loads, demand)
                        + "; try a smaller plan or later"));
    }
}
