package dev.slice.usage;

import java.time.Instant;

/**
 * Usage over one sample interval or one hour starting {@code at}: what each counter grew by, and the memory in use
 * (for an hour, the highest of its {@code samples}).
 */
public record UsagePoint(Instant at, int samples, long cpuTimeNanos, long memoryBytes, long diskReadBytes, long diskWriteBytes,
                         long netRxBytes, long netTxBytes) {}
