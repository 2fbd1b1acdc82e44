package dev.slice.billing;

import java.time.Instant;

/**
 * A server at one plan price over whole hours [fromHour, toHour); toHour null while it runs on. {@code resellerId} is
 * charged {@code wholesaleMinor} a month for the same hours (null on the operator's own plans).
 */
record MeterSegment(long id, long serverId, String hostname, long accountId, long planId, String planName, long monthlyMinor,
                    Long resellerId, long wholesaleMinor, Instant fromHour, Instant toHour, String ownerUsername) {}
