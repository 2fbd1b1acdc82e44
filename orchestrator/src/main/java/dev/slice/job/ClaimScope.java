package dev.slice.job;

import java.util.Set;

/**
 * Which jobs a worker may claim: those of its own nodes, and (for the control plane's worker) those of no node. A node
 * without a live agent is in no worker's scope, so its jobs wait in the queue instead of failing.
 *
 * @param nodes      ids of the nodes this process is the agent of
 * @param unassigned whether jobs with no node are this worker's too
 */
public record ClaimScope(Set<Long> nodes, boolean unassigned) {
    /** Every job, whatever its node: for a worker that is the only one (tests, tools). */
    public static final ClaimScope ALL = new ClaimScope(null, true);

    public ClaimScope {
        nodes = nodes == null ? null : Set.copyOf(nodes);
    }

    public boolean all() {
        return nodes == null;
    }
}
