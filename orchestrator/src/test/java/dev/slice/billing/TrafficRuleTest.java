package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficRuleTest {
    private static final long GB = TrafficRule.BYTES_PER_GB;

    @Test
    void withinTheAllowanceOrUnmeteredNothingIsCharged() {
        assertThat(TrafficRule.overage(10 * GB, 10, 37)).isEqualTo(TrafficRule.Overage.NONE);
        assertThat(TrafficRule.overage(500 * GB, 0, 37)).as("an allowance of 0 is unmetered").isEqualTo(TrafficRule.Overage.NONE);
        assertThat(TrafficRule.overage(500 * GB, 10, 0)).isEqualTo(TrafficRule.Overage.NONE);
    }

    @Test
    void theOverageIsRoundedToTenthsOfAGbThenPricedBothHalfAwayFromZero() {
        // 12.34 GB over -> 12.3 GB; 123 x 1 cent / 10 = 12.3 -> 12 cents: the invoice's "12.3 GB x 0.01 EUR" is 0.12.
        assertThat(TrafficRule.overage(112_340_000_000L, 100, 1)).isEqualTo(new TrafficRule.Overage(123, 12));
        // 8.06 GB over -> 80.6 tenths -> 81 (8.1 GB); 81 x 37 / 10 = 299.7 -> 300.
        assertThat(TrafficRule.overage(18_060_000_000L, 10, 37)).isEqualTo(new TrafficRule.Overage(81, 300));
        // Exactly half a tenth (0.05 GB) rounds up to 0.1 GB; 1 x 5 / 10 = 0.5 -> 1 cent.
        assertThat(TrafficRule.overage(GB + 50_000_000L, 1, 5)).isEqualTo(new TrafficRule.Overage(1, 1));
        // Just under half a tenth is nothing at all.
        assertThat(TrafficRule.overage(GB + 49_999_999L, 1, 5)).isEqualTo(new TrafficRule.Overage(0, 0));
        assertThat(new TrafficRule.Overage(123, 12).gigabytes()).isEqualTo("12.3 GB");
        assertThat(new TrafficRule.Overage(7, 1).gigabytes()).isEqualTo("0.7 GB");
    }

    @Test
    void theLargestPlanPriceOnAPetabyteMonthDoesNotOverflow() {
        long petabyte = 1_000_000 * GB;
        assertThat(TrafficRule.overage(petabyte + 10 * GB, 10, 100_000).amountMinor()).isEqualTo(1_000_000L * 100_000);
    }
}
