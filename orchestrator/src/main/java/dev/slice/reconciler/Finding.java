package dev.slice.reconciler;

import java.time.Instant;

/**
 * Something the reconciler found and left alone: an {@code orphan} (a guest no server owns) or a {@code lost}
 * server (its guest is gone). Open until the condition clears ({@code resolvedAt}).
 */
public record Finding(long id, long nodeId, String backend, String guestId, Long serverId, String kind, Instant firstSeen,
                      Instant lastSeen, Instant resolvedAt) {}
