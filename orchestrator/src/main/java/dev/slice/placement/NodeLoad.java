package dev.slice.placement;

/**
 * A node's physical capacity, its overcommit ratios, what is allocated on it now, and how many servers of the
 * ordering customer it already runs (0 when the placement is for no customer).
 */
public record NodeLoad(long nodeId, String nodeName, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit,
                       double memoryOvercommit, double diskOvercommit, long usedVcpus, long usedMemoryMiB, long usedDiskMiB,
                       int ownersServers) {
    public NodeLoad(long nodeId, String nodeName, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit,
                    double memoryOvercommit, double diskOvercommit, long usedVcpus, long usedMemoryMiB, long usedDiskMiB) {
        this(nodeId, nodeName, cpus, memoryMiB, diskMiB, cpuOvercommit, memoryOvercommit, diskOvercommit, usedVcpus, usedMemoryMiB,
                usedDiskMiB, 0);
    }
}
