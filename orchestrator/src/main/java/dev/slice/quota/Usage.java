package dev.slice.quota;

/** How much of each resource some servers hold (or one order or resize needs more of). */
public record Usage(long servers, long vcpus, long memoryMiB, long diskMiB, long ipv4Addresses) {
    /** One new server of these sizes, with its one IPv4 address. */
    public static Usage newServer(int vcpus, long memoryMiB, long diskMiB) {
        return new Usage(1, vcpus, memoryMiB, diskMiB, 1);
    }

    /** A server going from the old sizes to the new ones: same server, same address. */
    public static Usage resize(int fromVcpus, long fromMemoryMiB, long fromDiskMiB, int toVcpus, long toMemoryMiB, long toDiskMiB) {
        return new Usage(0, toVcpus - fromVcpus, toMemoryMiB - fromMemoryMiB, toDiskMiB - fromDiskMiB, 0);
    }

    long of(Resource resource) {
        return switch (resource) {
            case SERVERS -> servers;
            case VCPUS -> vcpus;
            case MEMORY -> memoryMiB;
            case DISK -> diskMiB;
            case IPV4 -> ipv4Addresses;
        };
    }
}
