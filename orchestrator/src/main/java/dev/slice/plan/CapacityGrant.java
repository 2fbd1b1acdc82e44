package dev.slice.plan;

import java.util.Set;

/** What the operator lets a reseller sell: the largest plan and how many servers in total, on which backends. */
public record CapacityGrant(long resellerId, int maxVcpusPerPlan, long maxMemoryMiBPerPlan, long maxDiskMiBPerPlan,
                            int maxServers, Set<String> backends) {
    public CapacityGrant {
        backends = Set.copyOf(backends);
    }

    /** Why the plan exceeds this grant, or null if it fits. */
    String violation(PlanRequest plan) {
        if (!backends.contains(plan.backend())) return "your grant does not include the backend '" + plan.backend() + "'";
        if (plan.vcpus() > maxVcpusPerPlan) return "your grant allows at most " + maxVcpusPerPlan + " vCPUs per plan";
        if (plan.memoryMiB() > maxMemoryMiBPerPlan) return "your grant allows at most " + maxMemoryMiBPerPlan + " MiB memory per plan";
        if (plan.diskMiB() > maxDiskMiBPerPlan) return "your grant allows at most " + maxDiskMiBPerPlan + " MiB disk per plan";
        return null;
    }
}
