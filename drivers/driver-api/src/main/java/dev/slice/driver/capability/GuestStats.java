package dev.slice.driver.capability;

/**
 * Cumulative counters since the guest started (-1 where a backend cannot tell).
 *
 * @param memoryBytes memory the guest costs the host now (for shared mappings, proportional set size)
 */
public record GuestStats(long cpuTimeNanos, long memoryBytes, long diskReadBytes, long diskWriteBytes,
                         long netRxBytes, long netTxBytes) {}
