package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slice.report.Statistics.Ratio;
import dev.slice.report.Statistics.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Statistics.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
        assertThat(Statistics.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Statistics.median(List.of(7.0))).isEqualTo(7.0);
    }

    @Test
    void coefficientOfVariationUsesTheSampleStandardDeviation() {
        // mean 10, sample sd sqrt(((-2)^2 + 0 + 2^2) / 2) = 2
        assertThat(Statistics.coefficientOfVariation(List.of(8.0, 10.0, 12.0))).isCloseTo(0.2, within(1e-12));
        assertThat(Statistics.coefficientOfVariation(List.of(3.0))).isZero();
    }

    @Test
    void aSteadyFigureIsNotNoisyAndAScatteredOneIs() {
        Summary steady = Statistics.summarize(List.of(100.0, 101.0, 99.0, 100.5, 99.5));
        Summary scattered = Statistics.summarize(List.of(100.0, 130.0, 70.0, 110.0, 90.0));
        assertThat(steady.noisy()).isFalse();
        assertThat(scattered.noisy()).isTrue();
        assertThat(scattered.minMax()).isEqualTo(new Statistics.Interval(70.0, 130.0));
        assertThat(scattered.n()).isEqualTo(5);
    }

    @Test
    void theBootstrapIntervalHoldsTheMedianAndLiesWithinTheSamples() {
        List<Double> values = List.of(10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 30.0);
        Statistics.Interval interval = Statistics.bootstrapMedianInterval(values);
        double median = Statistics.median(values);
        assertThat(interval.low()).isLessThanOrEqualTo(median).isGreaterThanOrEqualTo(10.0);
        assertThat(interval.high()).isGreaterThanOrEqualTo(median).isLessThanOrEqualTo(30.0);
        assertThat(interval.high() - interval.low()).isPositive();
        assertThat(Statistics.bootstrapMedianInterval(values)).as("seeded: the same report every time").isEqualTo(interval);
        assertThat(Statistics.bootstrapMedianInterval(List.of(4.0))).isEqualTo(new Statistics.Interval(4.0, 4.0));
    }

    @Test
    void ratiosAreGuestOverReferenceAndInvertedForLatencies() {
        Ratio throughput = Statistics.ratioOfMedians(List.of(90.0, 90.0, 90.0), List.of(100.0, 100.0, 100.0), false);
        assertThat(throughput.value()).isCloseTo(0.9, within(1e-12));
        assertThat(throughput.interval()).isEqualTo(new Statistics.Interval(0.9, 0.9));

        Ratio latency = Statistics.ratioOfMedians(List.of(2.0, 2.0, 2.0), List.of(1.0, 1.0, 1.0), true);
        assertThat(latency.value()).as("twice the latency is half the speed").isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aRatioIntervalWidensWithScatterAndHoldsTheEstimate() {
        Ratio ratio = Statistics.ratioOfMedians(List.of(80.0, 95.0, 90.0, 85.0, 100.0), List.of(98.0, 100.0, 102.0, 101.0, 99.0), false);
        assertThat(ratio.value()).isCloseTo(90.0 / 100.0, within(1e-12));
        assertThat(ratio.interval().low()).isLessThan(ratio.value());
        assertThat(ratio.interval().high()).isGreaterThan(ratio.value());
    }

    @Test
    void geometricMeanOfRatios() {
        assertThat(Statistics.geometricMean(List.of(0.5, 2.0))).isCloseTo(1.0, within(1e-12));
        assertThat(Statistics.geometricMean(List.of(0.25, 1.0, 4.0, 1.0))).isCloseTo(1.0, within(1e-12));
        assertThat(Statistics.geometricMean(List.of(0.9))).isCloseTo(0.9, within(1e-12));
        assertThat(Statistics.geometricMean(List.of(0.8, 0.9, 1.0))).isCloseTo(Math.cbrt(0.72), within(1e-12));
    }

    @Test
    void badInputIsRefusedClearly() {
        assertThatThrownBy(() -> Statistics.median(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.geometricMean(List.of(1.0, 0.0))).hasMessageContaining("positive");
        assertThatThrownBy(() -> Statistics.median(List.of(1.0, Double.NaN))).hasMessageContaining("finite");
        assertThatThrownBy(() -> Statistics.ratioOfMedians(List.of(1.0), List.of(0.0), false)).hasMessageContaining("zero");
    }
}
