package dev.slice.driver.capability;

/**
 * Cumulative counters since the guest started (-1 where a backend cannot tell).
 *
 * @param memoryBytes memory the guest costs the host now (for shared mappings, proportional set size)
 * @param netRxPackets frames the guest received on its network interface (-1 where a backend counts bytes only)
 * @param netTxPackets frames the guest sent
 */
public record GuestStats(long cpuTimeNanos, long memoryBytes, long diskReadBytes, long diskWriteBytes,
                         long netRxBytes, long netTxBytes, long netRxPackets, long netTxPackets) {

    /** Counters of a backend that counts network bytes but not frames. */
    public GuestStats(long cpuTimeNanos, long memoryBytes, long diskReadBytes, long diskWriteBytes,
                      long netRxBytes, long netTxBytes) {
        this(cpuTimeNanos, memoryBytes, diskReadBytes, diskWriteBytes, netRxBytes, netTxBytes, -1, -1);
    }
}
