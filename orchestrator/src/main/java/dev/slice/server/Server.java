package dev.slice.server;

import java.time.Instant;
import java.util.Set;

/**
 * A server as views and the API show it.
 *
 * @param guestId      the name the node's driver knows the guest by
 * @param activeJobId  the queued or running job, if any
 * @param capabilities optional features of its backend on its node: console, stats, resize, snapshots, migration
 */
public record Server(long id, String guestId, String hostname, ServerStatus status, PowerState powerState, String ipv4,
                     long planId, String planName, String backend, int vcpus, long memoryMiB, long diskMiB,
                     int bandwidthMbit, long nodeId, String nodeName, long ownerId, String ownerUsername, String template,
                     Long activeJobId, Set<String> capabilities, long version, Instant createdAt) {}
