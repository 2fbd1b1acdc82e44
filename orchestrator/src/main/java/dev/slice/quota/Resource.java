package dev.slice.quota;

/** What a quota limits, as its message names it. */
public enum Resource {
    SERVERS("servers", ""),
    VCPUS("vCPUs", ""),
    MEMORY("memory", " MiB"),
    DISK("disk", " MiB"),
    IPV4("IPv4 addresses", "");

    private final String label;
    private final String unit;

    Resource(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() { return label; }

    String unit() { return unit; }
}
