package dev.slice.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterRuleTest {

    @Test
    void aGrowingCounterCountsItsGrowth() {
        assertThat(CounterRule.delta(1_000, 1_500)).isEqualTo(500);
        assertThat(CounterRule.delta(1_500, 1_500)).isZero();
        assertThat(CounterRule.baseline(1_000, 1_500)).isEqualTo(1_500);
    }

    @Test
    void theFirstReadingCountsInFullForTheCounterStartedWithTheGuest() {
        assertThat(CounterRule.delta(-1, 4_096)).isEqualTo(4_096);
        assertThat(CounterRule.delta(0, 4_096)).isEqualTo(4_096);
    }

    @Test
    void aCounterThatWentDownCountsItsNewValueNeverANegativeDelta() {
        // The guest restarted (or the backend reset the counter) and has counted 300 since.
        assertThat(CounterRule.delta(10_000, 300)).isEqualTo(300);
        assertThat(CounterRule.delta(Long.MAX_VALUE, 0)).isZero();
        assertThat(CounterRule.baseline(10_000, 300)).isEqualTo(300);
    }

    @Test
    void anUnknownReadingCountsNothingAndKeepsTheBaselineSoTheNextCountsEverything() {
        assertThat(CounterRule.delta(1_000, -1)).isZero();
        assertThat(CounterRule.baseline(1_000, -1)).isEqualTo(1_000);
        // The sample after: all the growth since the last good reading.
        assertThat(CounterRule.delta(CounterRule.baseline(1_000, -1), 2_500)).isEqualTo(1_500);
    }

    @Test
    void everyCounterOfAReadingFollowsTheRule() {
        Counters before = new Counters(5_000, 100, -1, 1_000, 2_000);
        Counters after = new Counters(7_000, 50, 10, -1, 2_600);
        assertThat(before.deltaTo(after)).isEqualTo(new Counters(2_000, 50, 10, 0, 600));
        assertThat(before.baselineAfter(after)).isEqualTo(new Counters(7_000, 50, 10, 1_000, 2_600));
    }
}
