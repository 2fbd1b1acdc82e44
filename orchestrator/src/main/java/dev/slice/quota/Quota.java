package dev.slice.quota;

import dev.slice.error.ValidationException;
import dev.slice.plan.PlanLimits;
import java.util.Locale;

/**
 * The most of each resource an account may hold in its live (not deleted) servers: a reseller's grant totals (what it
 * may sell) or one customer's limits. Null: unlimited.
 */
public record Quota(Integer maxServers, Integer maxVcpus, Long maxMemoryMiB, Long maxDiskMiB, Integer maxIpv4Addresses) {
    public static final Quota UNLIMITED = new Quota(null, null, null, null, null);

    /** 400 naming the first field outside {@link PlanLimits}' bounds (0 is allowed: nothing more of it). */
    public void validate() {
        bounded("maxServers", maxServers, PlanLimits.MAX_SERVERS_PER_GRANT, "servers");
        bounded("maxVcpus", maxVcpus, PlanLimits.MAX_VCPUS_TOTAL, "vCPUs");
        bounded("maxMemoryMiB", maxMemoryMiB, PlanLimits.MAX_MEMORY_MIB_TOTAL, "MiB");
        bounded("maxDiskMiB", maxDiskMiB, PlanLimits.MAX_DISK_MIB_TOTAL, "MiB");
        bounded("maxIpv4Addresses", maxIpv4Addresses, PlanLimits.MAX_IPV4_ADDRESSES_TOTAL, "addresses");
    }

    /**
     * 400 naming the first field above {@code outer}'s total for it (a field {@code outer} leaves unlimited is free; a
     * field this quota leaves unlimited stays held by {@code outer} alone).
     */
    void requireWithin(Quota outer, String outerName) {
        for (Resource resource : Resource.values()) {
            Long mine = max(resource);
            Long most = outer.max(resource);
            if (mine != null && most != null && mine > most) {
                throw new ValidationException(resource.field(), String.format(Locale.ROOT, "at most %,d%s: %s allows %,d %s in total",
                        most, resource.unit(), outerName, most, resource.label()));
            }
        }
    }

    /** The limit of one resource, or null when unlimited. */
    Long max(Resource resource) {
        Number max = switch (resource) {
            case SERVERS -> maxServers;
            case VCPUS -> maxVcpus;
            case MEMORY -> maxMemoryMiB;
            case DISK -> maxDiskMiB;
            case IPV4 -> maxIpv4Addresses;
        };
        return max == null ? null : max.longValue();
    }

    private static void bounded(String field, Number value, long max, String unit) {
        if (value != null) PlanLimits.between(field, value.longValue(), 0, max, unit);
    }
}
