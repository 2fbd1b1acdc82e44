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

    /**
     * Which resources are short, with figures, on the node closest to fitting (fewest short resources, then most free
     * memory): "short of memory on node fra-1: 192 MiB free of 8192 MiB, the plan needs 1000 MiB".
     */
    public static String shortage(List<NodeLoad> nodes, Demand demand) {
        NodeLoad closest = nodes.stream().min(Comparator.comparingInt((NodeLoad n) -> shortResources(n, demand).size())
                .thenComparingDouble(n -> -freeMemoryShare(n, demand)).thenComparingLong(NodeLoad::nodeId)).orElseThrow();
        List<String> short_ = shortResources(closest, demand);
        return "short of " + String.join(" and ", short_.stream().map(r -> r.substring(0, r.indexOf(':'))).toList())
                + " on node " + closest.nodeName() + ": " + String.join("; ", short_.stream().map(r -> r.substring(r.indexOf(':') + 2)).toList());
    }

    /** "resource: figures" for each resource the demand does not fit on the node. */
    private static List<String> shortResources(NodeLoad n, Demand demand) {
        List<String> out = new java.util.ArrayList<>();
        long cpu = limit(n.cpus(), n.cpuOvercommit());
        long mem = limit(n.memoryMiB(), n.memoryOvercommit());
        long disk = limit(n.diskMiB(), n.diskOvercommit());
        if (n.usedMemoryMiB() + demand.memoryMiB() > mem) {
            out.add("memory: " + Math.max(0, mem - n.usedMemoryMiB()) + " MiB free of " + mem + " MiB, the plan needs " + demand.memoryMiB() + " MiB");
        }
        if (n.usedVcpus() + demand.vcpus() > cpu) {
            out.add("vCPUs: " + Math.max(0, cpu - n.usedVcpus()) + " vCPUs free of " + cpu + ", the plan needs " + demand.vcpus());
        }
        if (n.usedDiskMiB() + demand.diskMiB() > disk) {
            out.add("disk: " + Math.max(0, disk - n.usedDiskMiB()) + " MiB free of " + disk + " MiB, the plan needs " + demand.diskMiB() + " MiB");
        }
        return out;
    }

    /** The node with the most memory after overcommit, and what it holds at most when empty. */
    public static String largest(List<NodeLoad> nodes) {
        NodeLoad n = nodes.stream().max(Comparator.comparingLong((NodeLoad l) -> limit(l.memoryMiB(), l.memoryOvercommit()))
                .thenComparingLong(l -> limit(l.cpus(), l.cpuOvercommit()))).orElseThrow();
        return "the largest, " + n.nodeName() + ", holds at most " + limit(n.cpus(), n.cpuOvercommit()) + " vCPUs, "
                + limit(n.memoryMiB(), n.memoryOvercommit()) + " MiB memory and " + limit(n.diskMiB(), n.diskOvercommit())
                + " MiB disk (after overcommit)";
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
