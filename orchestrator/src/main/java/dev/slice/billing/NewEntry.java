package dev.slice.billing;

import java.time.Instant;

/**
 * An entry to append. {@code actorId} null and {@code actorName} "metering" (or "provider:...") for Slice's own entries.
 */
record NewEntry(long accountId, EntryKind kind, Money amount, Long reverses, Long actorId, String actorName, String reason,
                String reference, Long serverId, Instant accruedAt) {}
