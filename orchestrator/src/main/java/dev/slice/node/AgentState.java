package dev.slice.node;

import java.util.Locale;

/** Whether a node's agent is alive, as the control plane sees it from the heartbeats in PostgreSQL. */
public enum AgentState {
    /** Added, but no agent has registered yet. */
    AWAITING,
    ONLINE,
    /** Its heartbeats stopped: its servers' power state is unknown, its jobs wait for it. */
    UNREACHABLE;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static AgentState fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
