package dev.slice.billing;

/**
 * What a server's monthly traffic costs. The rule, written once:
 * <ul>
 *   <li>Outbound traffic only (what the guest sent, {@code netTxBytes}): that is what a provider pays its upstream for,
 *       and a customer cannot be made to pay for traffic others send to it (a flood). Inbound is kept and shown.</li>
 *   <li>A GB is 10^9 bytes. An allowance of 0 GB is unmetered: nothing is charged, whatever the price.</li>
 *   <li>The traffic over the allowance is rounded to tenths of a GB, then charged tenths x price / 10; both divisions by
 *       {@link Money}'s one rule (half away from zero). So the invoice line "12.3 GB x 0.01 EUR" is exactly what is
 *       charged (0.123 -> 0.12); over by less than 0.05 GB is nothing.</li>
 *   <li>Charged once per server and UTC calendar month, after the month ends, at the allowance and price of the plan the
 *       server has then; a traffic delta belongs to the month its sample was taken in.</li>
 * </ul>
 */
public final class TrafficRule {
    public static final long BYTES_PER_GB = 1_000_000_000L;
    private static final long BYTES_PER_TENTH = BYTES_PER_GB / 10;

    private TrafficRule() {}

    /** What is over the allowance, in tenths of a GB, and its price in minor units. */
    public record Overage(long tenthsOfGb, long amountMinor) {
        public static final Overage NONE = new Overage(0, 0);

        /** "12.3 GB". */
        public String gigabytes() {
            return tenthsOfGb / 10 + "." + tenthsOfGb % 10 + " GB";
        }
    }

    public static Overage overage(long txBytes, long allowanceGb, long perGbMinor) {
        if (allowanceGb <= 0 || perGbMinor <= 0) return Overage.NONE;
        long over = txBytes - Math.multiplyExact(allowanceGb, BYTES_PER_GB);
        if (over <= 0) return Overage.NONE;
        long tenths = Money.divideRounded(over, BYTES_PER_TENTH);
        return new Overage(tenths, Money.divideRounded(Math.multiplyExact(tenths, perGbMinor), 10));
    }
}
