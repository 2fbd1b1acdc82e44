package dev.slice.plan;

import dev.slice.error.ValidationException;
import dev.slice.error.ValidationException.FieldError;
import dev.slice.quota.Quota;
import java.util.Set;

/**
 * What the operator lets a reseller sell: the largest plan, on which backends, and the totals across its customers'
 * live servers: servers, and (null: unlimited) vCPUs, memory, disk and IPv4 addresses.
 */
public record CapacityGrant(long resellerId, int maxVcpusPerPlan, long maxMemoryMiBPerPlan, long maxDiskMiBPerPlan,
                            int maxServers, Set<String> backends, Integer maxVcpus, Long maxMemoryMiB, Long maxDiskMiB,
                            Integer maxIpv4Addresses) {
    public CapacityGrant {
        if (backends.stream().anyMatch(java.util.Objects::isNull)) throw new ValidationException("backends", "a backend cannot be null");
        backends = Set.copyOf(backends);
    }

    /** A grant that limits the servers sold but no other total. */
    public CapacityGrant(long resellerId, int maxVcpusPerPlan, long maxMemoryMiBPerPlan, long maxDiskMiBPerPlan, int maxServers,
                         Set<String> backends) {
        this(resellerId, maxVcpusPerPlan, maxMemoryMiBPerPlan, maxDiskMiBPerPlan, maxServers, backends, null, null, null, null);
    }

    /** The totals the reseller's live servers together stay within. */
    public Quota totals() {
        return new Quota(maxServers, maxVcpus, maxMemoryMiB, maxDiskMiB, maxIpv4Addresses);
    }

    /** The plan's field that exceeds this grant and why, or null if it fits. */
    FieldError violation(PlanRequest plan) {
        if (!backends.contains(plan.backend())) {
            return new FieldError("backend", "your grant does not include the backend '" + plan.backend() + "'");
        }
        if (plan.vcpus() > maxVcpusPerPlan) return new FieldError("vcpus", "your grant allows at most " + maxVcpusPerPlan + " vCPUs per plan");
        if (plan.memoryMiB() > maxMemoryMiBPerPlan) {
            return new FieldError("memoryMiB", "your grant allows at most " + maxMemoryMiBPerPlan + " MiB memory per plan");
        }
        if (plan.diskMiB() > maxDiskMiBPerPlan) {
            return new FieldError("diskMiB", "your grant allows at most " + maxDiskMiBPerPlan + " MiB disk per plan");
        }
        return null;
    }
}
