package dev.slice.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's results, computed from its samples (warm-ups left out): each target's figures with median,
 * interval, min-max and CV (noisy above 5 %); each backend's ratio to bare metal per metric with its
 * interval (1.00 = bare metal, below = slower, latencies inverted), and the geometric mean of those ratios.
 */
public record ReportResults(ReportRun run, HostFacts host, List<Figure> figures, List<Overhead> overheads, List<BackendSummary> summaries) {

    /** One metric on one target. */
    public record Figure(String target, String metric, String unit, String label, int n, double median, double low, double high,
                         double min, double max, double cv, boolean noisy) {}

    /** A backend's figure against bare metal's. */
    public record Overhead(String backend, String metric, double ratio, double low, double high, boolean noisy) {}

    /**
     * @param emulated its figures come from emulation (QEMU TCG, the RISC-V emulator): compared, but never as virtualization
     * @param bootMillis create + start until the guest ran a command, when the run timed it
     */
    public record BackendSummary(String backend, double geometricMean, int metrics, boolean emulated, Double bootMillis) {}

    /** The ratios as a plain-text table (one row per metric, one column per backend), for job output and READMEs. */
    public String table() {
        StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT, "%-16s", "metric"));
        run.backends().forEach(b -> text.append(String.format(java.util.Locale.ROOT, " %-22s", b)));
        text.append('\n');
        for (Metric metric : Metric.values()) {
            if (!metric.comparedWithBareMetal()) continue;
            text.append(String.format(java.util.Locale.ROOT, "%-16s", metric.id()));
            for (String backend : run.backends()) {
                String cell = overheads.stream().filter(o -> o.backend().equals(backend) && o.metric().equals(metric.id())).findFirst()
                        .map(o -> String.format(java.util.Locale.ROOT, "%.2f [%.2f-%.2f]%s", o.ratio(), o.low(), o.high(), o.noisy() ? "*" : ""))
                        .orElse("-");
                text.append(String.format(java.util.Locale.ROOT, " %-22s", cell));
            }
            text.append('\n');
        }
        text.append(String.format(java.util.Locale.ROOT, "%-16s", "geometric mean"));
        for (String backend : run.backends()) {
            String cell = summaries.stream().filter(s -> s.backend().equals(backend)).findFirst()
                    .map(s -> String.format(java.util.Locale.ROOT, "%.2f%s", s.geometricMean(), s.emulated() ? " (emulated)" : ""))
                    .orElse("-");
            text.append(String.format(java.util.Locale.ROOT, " %-22s", cell));
        }
        return text.append('\n').toString();
    }

    static ReportResults compute(ReportRun run, HostFacts host, List<Sample> samples, Map<String, Double> bootMillis) {
        Map<String, Map<Metric, List<Double>>> measured = new LinkedHashMap<>();
        for (Sample sample : samples) {
            if (sample.warmUp()) continue;
            measured.computeIfAbsent(sample.target(), t -> new TreeMap<>()).computeIfAbsent(sample.metric(), m -> new ArrayList<>())
                    .add(sample.value());
        }
        List<Figure> figures = new ArrayList<>();
        measured.forEach((target, byMetric) -> byMetric.forEach((metric, values) -> {
            Statistics.Summary s = Statistics.summarize(values);
            figures.add(new Figure(target, metric.id(), metric.unit(), metric.label(), s.n(), s.median(), s.interval().low(),
                    s.interval().high(), s.minMax().low(), s.minMax().high(), s.cv(), s.noisy()));
        }));
        Map<Metric, List<Double>> bare = measured.getOrDefault(Sample.BARE_METAL, Map.of());
        List<Overhead> overheads = new ArrayList<>();
        List<BackendSummary> summaries = new ArrayList<>();
        for (String backend : run.backends()) {
            Map<Metric, List<Double>> guest = measured.getOrDefault(backend, Map.of());
            List<Double> ratios = new ArrayList<>();
            for (Metric metric : Metric.values()) {
                if (!metric.comparedWithBareMetal() || !guest.containsKey(metric) || !bare.containsKey(metric)) continue;
                List<Double> g = guest.get(metric);
                List<Double> b = bare.get(metric);
                if (Statistics.median(b) == 0 || Statistics.median(g) == 0) continue;
                Statistics.Ratio ratio = Statistics.ratioOfMedians(g, b, !metric.higherIsBetter());
                boolean noisy = Statistics.coefficientOfVariation(g) > Statistics.NOISY_CV
                        || Statistics.coefficientOfVariation(b) > Statistics.NOISY_CV;
                overheads.add(new Overhead(backend, metric.id(), ratio.value(), ratio.interval().low(), ratio.interval().high(), noisy));
                ratios.add(ratio.value());
            }
            if (!ratios.isEmpty()) {
                summaries.add(new BackendSummary(backend, Statistics.geometricMean(ratios), ratios.size(),
                        host != null && host.emulated(backend), bootMillis.get(backend)));
            }
        }
        return new ReportResults(run, host, List.copyOf(figures), List.copyOf(overheads), List.copyOf(summaries));
    }
}
