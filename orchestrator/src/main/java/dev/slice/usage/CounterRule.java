package dev.slice.usage;

/**
 * How a cumulative counter read from a driver becomes usage, written once for every counter (network, disk, CPU):
 * <ul>
 *   <li>A counter counts from zero when its guest starts ({@code GuestStats}' contract). The first reading of a server
 *       counts in full; so does a reading below the one before (the guest restarted, or the backend reset the counter
 *       between two samples): the new value is what was counted since. A delta is never negative.</li>
 *   <li>A reading of -1 (the backend cannot tell, or could not read it now) counts nothing and keeps the earlier
 *       reading as the baseline, so a missed sample loses nothing: the next one counts the whole growth.</li>
 *   <li>A guest seen stopped starts its next run from zero, so its baseline becomes 0. What is lost is only the
 *       restart case: a guest that restarted between two samples and went past its old reading again.</li>
 * </ul>
 */
public final class CounterRule {
    private CounterRule() {}

    /** What a counter grew by from {@code previous} (-1: no reading yet) to {@code current} (-1: unknown). */
    public static long delta(long previous, long current) {
        if (current < 0) return 0;
        if (previous < 0 || current < previous) return current;
        return current - previous;
    }

    /** The reading the next delta is taken against. */
    public static long baseline(long previous, long current) {
        return current < 0 ? previous : current;
    }
}
