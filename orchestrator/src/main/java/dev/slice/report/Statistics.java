package dev.slice.report;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The statistics of a report, as pure functions: medians, 95 % bootstrap intervals (percentile method,
 * with a seeded generator so a report reads the same every time), min-max, coefficient of variation, the
 * ratio of two medians with its interval, and the geometric mean of ratios.
 */
public final class Statistics {
    /** Above this coefficient of variation a figure is flagged as noisy. */
    public static final double NOISY_CV = 0.05;
    static final int BOOTSTRAP_RESAMPLES = 2000;
    private static final long SEED = 0x5eed_51ce_2026L;

    private Statistics() {}

    /** An interval around an estimate; {@code low <= high}. */
    public record Interval(double low, double high) {}

    /** One figure's summary over its repetitions. */
    public record Summary(int n, double median, Interval interval, Interval minMax, double cv, boolean noisy) {}

    public static Summary summarize(List<Double> values) {
        double[] v = sorted(values);
        double cv = coefficientOfVariation(values);
        return new Summary(v.length, median(values), bootstrapMedianInterval(values), new Interval(v[0], v[v.length - 1]), cv,
                cv > NOISY_CV);
    }

    public static double median(List<Double> values) {
        return medianOfSorted(sorted(values));
    }

    /** Sample standard deviation over the mean; 0 for a single value. */
    public static double coefficientOfVariation(List<Double> values) {
        double[] v = sorted(values);
        if (v.length < 2) return 0;
        double mean = Arrays.stream(v).average().orElseThrow();
        double squares = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        double sd = Math.sqrt(squares / (v.length - 1));
        return mean == 0 ? 0 : sd / Math.abs(mean);
    }

    /** The 95 % percentile-bootstrap interval of the median. */
    public static Interval bootstrapMedianInterval(List<Double> values) {
        double[] v = sorted(values);
        if (v.length == 1) return new Interval(v[0], v[0]);
        SplittableRandom random = new SplittableRandom(SEED);
        double[] medians = new double[BOOTSTRAP_RESAMPLES];
        for (int r = 0; r < BOOTSTRAP_RESAMPLES; r++) medians[r] = medianOfSorted(resample(v, random));
        return percentiles(medians);
    }

    /**
     * The ratio of the medians {@code guest / reference} (so that 1.00 is "as fast as the reference" for a
     * higher-is-better figure), with a 95 % bootstrap interval from resampling both sides independently.
     * For lower-is-better figures (latencies) pass {@code invert}: the ratio is then {@code reference / guest},
     * so that below 1.00 always means slower than the reference.
     */
    public static Ratio ratioOfMedians(List<Double> guest, List<Double> reference, boolean invert) {
        double[] g = sorted(guest);
        double[] r = sorted(reference);
        double estimate = ratio(medianOfSorted(g), medianOfSorted(r), invert);
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[BOOTSTRAP_RESAMPLES];
        for (int i = 0; i < BOOTSTRAP_RESAMPLES; i++) {
            ratios[i] = ratio(medianOfSorted(resample(g, random)), medianOfSorted(resample(r, random)), invert);
        }
        return new Ratio(estimate, percentiles(ratios));
    }

    /** A ratio of medians and its interval. */
    public record Ratio(double value, Interval interval) {}

    /** The geometric mean of positive ratios: the one summary figure per backend. */
    public static double geometricMean(List<Double> ratios) {
        if (ratios.isEmpty()) throw new IllegalArgumentException("a geometric mean needs at least one ratio");
        double logs = 0;
        for (double ratio : ratios) {
            if (!(ratio > 0) || Double.isInfinite(ratio)) throw new IllegalArgumentException("ratios must be positive and finite: " + ratio);
            logs += Math.log(ratio);
        }
        return Math.exp(logs / ratios.size());
    }

    private static double ratio(double guest, double reference, boolean invert) {
        double numerator = invert ? reference : guest;
        double denominator = invert ? guest : reference;
        if (denominator == 0) throw new IllegalArgumentException("a ratio against a zero median is undefined");
        return numerator / denominator;
    }

    private static double[] sorted(List<Double> values) {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("a statistic needs at least one value");
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            double x = values.get(i);
            if (!Double.isFinite(x)) throw new IllegalArgumentException("values must be finite: " + x);
            v[i] = x;
        }
        Arrays.sort(v);
        return v;
    }

    private static double medianOfSorted(double[] v) {
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    private static double[] resample(double[] v, SplittableRandom random) {
        double[] sample = new double[v.length];
        for (int i = 0; i < v.length; i++) sample[i] = v[random.nextInt(v.length)];
        Arrays.sort(sample);
        return sample;
    }

    private static Interval percentiles(double[] estimates) {
        Arrays.sort(estimates);
        return new Interval(estimates[(int) Math.floor(0.025 * (estimates.length - 1))],
                estimates[(int) Math.ceil(0.975 * (estimates.length - 1))]);
    }
}
