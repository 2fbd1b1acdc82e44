package dev.slice.placement;

/** A node's physical capacity, its overcommit ratios, and what is allocated on it now. */
public record NodeLoad(long nodeId, String nodeName, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit,
                       double memoryOvercommit, double diskOvercommit, long usedVcpus, long usedMemoryMiB, long usedDiskMiB) {}
