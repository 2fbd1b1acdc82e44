package dev.slice.billing;

/**
 * What a server's hour costs. The rule, written once:
 * <ul>
 *   <li>Every hour a server exists (running or stopped) is charged; an hour counts if any part of it was held (an
 *       order at 10:20 pays 10:00-11:00; a delete at 12:05 pays 12:00-13:00; a delete at 12:00 sharp does not pay
 *       the 12 o'clock hour). Hours and calendar months are UTC.</li>
 *   <li>An hour is worth 1/672 of the monthly price of the plan the server has in that hour (672 = 28 days x 24 hours:
 *       the shortest month reaches the full price just as it ends). A resize changes the price from the hour in which
 *       it was asked for.</li>
 *   <li>Within a calendar month, the charges of a server add up to exactly
 *       {@code min(highest monthly price held this month, round(sum of the month's hourly prices / 672))}, rounded by
 *       {@link Money}'s one rule (half away from zero). Each hour is charged the growth of that total, so rounding
 *       never accumulates across hours and a whole month at one price costs exactly its monthly price.</li>
 * </ul>
 */
public final class MeteringRule {
    /** Hours in which a monthly price is reached: 28 days. */
    public static final int HOURS_PER_MONTH = 672;

    private MeteringRule() {}

    /**
     * What a server has been charged in a calendar month so far.
     *
     * @param priceSum sum of the monthly prices of the hours charged this month (in 1/672 units of an hour's share)
     * @param cap      the highest monthly price of those hours
     * @param charged  what those hours were charged in all (minor units)
     */
    public record Month(long priceSum, long cap, long charged) {
        public static final Month EMPTY = new Month(0, 0, 0);

        /** The month after one more hour at {@code monthlyMinor}; {@link #charged()} minus the old one is that hour's charge. */
        public Month plusHour(long monthlyMinor) {
            long sum = Math.addExact(priceSum, monthlyMinor);
            long newCap = Math.max(cap, monthlyMinor);
            long total = Math.min(newCap, Money.divideRounded(sum, HOURS_PER_MONTH));
            return new Month(sum, newCap, Math.max(total, charged));
        }
    }
}
