package dev.slice.node;

/**
 * A host that runs guests: physical capacity and the overcommit ratio per resource, the group it is in (a location
 * plans can be pinned to), and whether it is draining (it takes no new servers).
 */
public record Node(long id, String name, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit,
                   double memoryOvercommit, double diskOvercommit, String libvirtUri, boolean enabled, String nodeGroup,
                   boolean draining) {
    public Node(long id, String name, int cpus, long memoryMiB, long diskMiB, double cpuOvercommit, double memoryOvercommit,
                double diskOvercommit, String libvirtUri, boolean enabled) {
        this(id, name, cpus, memoryMiB, diskMiB, cpuOvercommit, memoryOvercommit, diskOvercommit, libvirtUri, enabled, "default", false);
    }
}
