package dev.slice.quota;

/** What a quota limits, as its message names it. */
public enum Resource {
    SERVERS("servers", "", "maxServers"),
    VCPUS("vCPUs", "", "maxVcpus"),
    MEMORY("memory", " MiB", "maxMemoryMiB"),
    DISK("disk", " MiB", "maxDiskMiB"),
    IPV4("IPv4 addresses", "", "maxIpv4Addresses");

    private final String label;
    private final String unit;
    private final String field;

    Resource(String label, String unit, String field) {
        this.label = label;
        this.unit = unit;
        this.field = field;
    }

    /** The {@link Quota} field that limits it, as a 400 names it. */
    String field() { return field; }

    public String label() { return label; }

    String unit() { return unit; }
}
