package dev.slice.usage;

import dev.slice.driver.capability.GuestStats;

/** The cumulative counters of one reading (or, as a delta, what they grew by); -1 where unknown. */
public record Counters(long cpuTimeNanos, long diskReadBytes, long diskWriteBytes, long netRxBytes, long netTxBytes) {
    /** A guest that is not running: its next run counts from zero. */
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0);

    public static Counters of(GuestStats stats) {
        return new Counters(stats.cpuTimeNanos(), stats.diskReadBytes(), stats.diskWriteBytes(), stats.netRxBytes(), stats.netTxBytes());
    }

    /** What each counter grew by from this reading to {@code next}, by {@link CounterRule}. */
    public Counters deltaTo(Counters next) {
        return new Counters(CounterRule.delta(cpuTimeNanos, next.cpuTimeNanos), CounterRule.delta(diskReadBytes, next.diskReadBytes),
                CounterRule.delta(diskWriteBytes, next.diskWriteBytes), CounterRule.delta(netRxBytes, next.netRxBytes),
                CounterRule.delta(netTxBytes, next.netTxBytes));
    }

    /** The baseline after reading {@code next}. */
    public Counters baselineAfter(Counters next) {
        return new Counters(CounterRule.baseline(cpuTimeNanos, next.cpuTimeNanos), CounterRule.baseline(diskReadBytes, next.diskReadBytes),
                CounterRule.baseline(diskWriteBytes, next.diskWriteBytes), CounterRule.baseline(netRxBytes, next.netRxBytes),
                CounterRule.baseline(netTxBytes, next.netTxBytes));
    }
}
