package dev.slice.orchestrator;

/** What one Slice process does ({@code slice.roles}); a single host is both. */
public enum SliceRole {
    /** Panel, REST API, placement, billing, reports, and the jobs of no node; marks nodes whose agent went silent. */
    CONTROL_PLANE,
    /** Registers its node, heartbeats, runs the jobs and the reconciler of its own node. */
    NODE_AGENT
}
