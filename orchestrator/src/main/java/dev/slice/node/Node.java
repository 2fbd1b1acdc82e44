package dev.slice.node;

/** A host that runs guests: physical capacity and the overcommit ratio per resource. */
public record Node(long id, String name, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit,
                   double memoryOvercommit, double diskOvercommit, String libvirtUri, boolean enabled) {}
