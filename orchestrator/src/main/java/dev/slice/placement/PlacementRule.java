package dev.slice.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The pure placement rule: a server fits a node when, for every resource, what is allocated plus the
 * demand stays within capacity * overcommit ratio. Among nodes that fit, the one with the fewest of the customer's
 * servers wins (a customer's servers spread, so one host failing takes as few of them as it can), then the one left
 * with the most free memory share (spreads load; memory is the resource that cannot really be overcommitted).
 */
public final class PlacementRule {
    private PlacementRule() {}

    public static boolean fits(NodeLoad node, Demand demand) {
        return node.usedVcpus() + demand.vcpus() <= limit(node.cpus(), node.cpuOvercommit())
                && node.usedMemoryMiB() + demand.memoryMiB() <= limit(node.memoryMiB(), node.memoryOvercommit())
                && node.usedDiskMiB() + demand.diskMiB() <= limit(node.diskMiB(), node.diskOvercommit());
    }

    /** Whether the demand fits the node when it is empty: if not on any node, the plan is too large. */
    public static boolean fitsEmpty(NodeLoad node, Demand demand) {
        return fits(new NodeLoad(node.nodeId(), node.nodeName(), node.cpus(), node.memoryMiB(), node.diskMiB(),
                node.cpuOvercommit(), node.memoryOvercommit(), node.diskOvercommit(), 0, 0, 0), demand);
    }

    public static Optional<NodeLoad> choose(List<NodeLoad> nodes, Demand demand) {
        return choose(nodes, demand, false);
    }

    /** As above; with {@code separate} only nodes with none of the customer's servers are candidates. */
    public static Optional<NodeLoad> choose(List<NodeLoad> nodes, Demand demand, boolean separate) {
        return nodes.stream().filter(n -> fits(n, demand)).filter(n -> !separate || n.ownersServers() == 0)
                .max(Comparator.comparingInt((NodeLoad n) -> -n.ownersServers())
                        .thenComparingDouble(n -> freeMemoryShare(n, demand)).thenComparing(n -> -n.nodeId()));
    }

    /** The capacity after overcommit, rounded down: 2 CPUs at 1.5 give 3 vCPUs, 1000 MiB at 1.0 give 1000. */
    static long limit(long capacity, double ratio) {
        return (long) Math.floor(capacity * ratio + 1e-9);
    }

    private static double freeMemoryShare(NodeLoad n, Demand demand) {
        long limit = limit(n.memoryMiB(), n.memoryOvercommit());
        return limit == 0 ? 0 : (limit - n.usedMemoryMiB() - demand.memoryMiB()) / (double) limit;
    }
}
