package dev.slice.node;

import java.time.Duration;
import java.time.Instant;

/**
 * A node's agent for operators: its state since when, when it was last seen (its latest heartbeat), where it runs.
 *
 * @param hasCredential whether an agent on another host can register (a single host's own node needs none)
 */
public record NodeAgentStatus(AgentState state, Instant stateSince, Instant lastSeen, Instant registeredAt, String address,
                              String instance, Duration heartbeatInterval, boolean hasCredential) {}
