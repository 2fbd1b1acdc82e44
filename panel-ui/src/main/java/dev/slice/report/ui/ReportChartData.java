package dev.slice.report.ui;

import dev.slice.report.HostFacts;
import dev.slice.report.Metric;
import dev.slice.report.ReportRepository;
import dev.slice.report.ReportResults;
import dev.slice.report.meaning.Approach;
import dev.slice.report.meaning.Meaning;
import dev.slice.report.meaning.PublishedFigure;
import dev.slice.report.reading.ReportReadingService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The figures the report's charts draw, as the JSON that {@code report-assets/slice-report-charts.js} reads: overhead bars
 * per workload per backend with their intervals (log scale when emulation widens the range) and published ratios as
 * faded bars; the density curve (host MemAvailable and the one-guest CPU score against the guests running); per-guest
 * memory stacked (charged to the guest, and host memory beyond the charge); the boot-time distribution per concurrency.
 */
final class ReportChartData {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Past this spread of ratios a linear axis hides the small ones. */
    private static final double LOG_SPREAD = 20;

    private ReportChartData() {}

    static String of(ReportReadingService.Reading reading, List<ReportReadingService.BootTime> boots) {
        ReportResults results = reading.results();
        Map<String, Object> charts = new LinkedHashMap<>();
        charts.put("overhead", overhead(results, reading.meaning()));
        charts.put("density", density(results));
        charts.put("memory", memory(results));
        charts.put("boot", boot(results.host(), boots));
        return JSON.writeValueAsString(charts);
    }

    private static Map<String, Object> overhead(ReportResults results, Meaning meaning) {
        HostFacts host = results.host();
        List<Metric> metrics = java.util.Arrays.stream(Metric.values()).filter(Metric::comparedWithBareMetal)
                .filter(m -> results.overheads().stream().anyMatch(o -> o.metric().equals(m.id()))).toList();
        List<Map<String, Object>> datasets = new ArrayList<>();
        for (String backend : results.run().backends()) {
            List<Double> data = new ArrayList<>();
            List<Double> low = new ArrayList<>();
            List<Double> high = new ArrayList<>();
            for (Metric metric : metrics) {
                var o = results.overheads().stream().filter(x -> x.backend().equals(backend) && x.metric().equals(metric.id())).findFirst();
                data.add(o.map(ReportResults.Overhead::ratio).orElse(null));
                low.add(o.map(ReportResults.Overhead::low).orElse(null));
                high.add(o.map(ReportResults.Overhead::high).orElse(null));
            }
            datasets.add(Map.of("label", Approach.label(backend, host), "data", data, "low", low, "high", high));
        }
        Map<String, List<Double>> published = new LinkedHashMap<>();
        for (Meaning.Reference r : meaning.references()) {
            PublishedFigure p = r.published();
            int index = metrics.stream().map(Metric::id).toList().indexOf(r.what());
            if (p.kind() != PublishedFigure.Kind.RATIO || index < 0) continue;
            List<Double> data = published.computeIfAbsent("published: " + p.system() + " (" + p.source() + ")", k -> {
                List<Double> empty = new ArrayList<>();
                metrics.forEach(m -> empty.add(null));
                return empty;
            });
            data.set(index, p.value());
        }
        List<Map<String, Object>> references = published.entrySet().stream()
                .map(e -> Map.<String, Object>of("label", e.getKey(), "data", e.getValue())).toList();
        double max = results.overheads().stream().mapToDouble(ReportResults.Overhead::high).max().orElse(1);
        double min = results.overheads().stream().mapToDouble(ReportResults.Overhead::low).filter(v -> v > 0).min().orElse(1);
        boolean emulated = results.summaries().stream().anyMatch(ReportResults.BackendSummary::emulated);
        return Map.of("labels", metrics.stream().map(Metric::label).toList(), "datasets", datasets, "references", references,
                "log", emulated || max / min > LOG_SPREAD);
    }

    private static Map<String, Object> density(ReportResults results) {
        HostFacts host = results.host();
        List<Map<String, Object>> datasets = new ArrayList<>();
        Map<String, List<ReportRepository.DensityPoint>> byBackend = results.densityCurve().stream()
                .collect(Collectors.groupingBy(ReportRepository.DensityPoint::backend, LinkedHashMap::new, Collectors.toList()));
        byBackend.forEach((backend, points) -> {
            String label = Approach.label(backend, host);
            datasets.add(Map.of("label", label + ": host MemAvailable (MiB)", "axis", "memory", "points", points.stream()
                    .map(p -> Map.of("x", p.guests(), "y", p.memAvailableMiB())).toList()));
            datasets.add(Map.of("label", label + ": CPU score of one guest", "axis", "score", "points", points.stream()
                    .filter(p -> p.cpuScore() != null).map(p -> Map.of("x", p.guests(), "y", p.cpuScore())).toList()));
        });
        return Map.of("datasets", datasets);
    }

    private static Map<String, Object> memory(ReportResults results) {
        List<String> labels = new ArrayList<>();
        List<Double> charged = new ArrayList<>();
        List<Double> beyond = new ArrayList<>();
        for (ReportResults.DensitySummary d : results.density()) {
            labels.add(Approach.label(d.backend(), results.host()));
            double guest = d.chargedMiBPerGuest() == null ? 0 : Math.max(0, d.chargedMiBPerGuest());
            double hostPerGuest = d.hostMiBPerGuest() == null ? 0 : d.hostMiBPerGuest();
            charged.add(guest);
            beyond.add(Math.max(0, hostPerGuest - guest));
        }
        return Map.of("labels", labels, "charged", charged, "beyond", beyond);
    }

    /** Per backend and concurrency, the boot times sorted: the fraction of guests booted by each time. */
    private static Map<String, Object> boot(HostFacts host, List<ReportReadingService.BootTime> boots) {
        Map<String, TreeMap<Integer, List<Double>>> grouped = new LinkedHashMap<>();
        for (ReportReadingService.BootTime b : boots) {
            grouped.computeIfAbsent(b.backend(), k -> new TreeMap<>()).computeIfAbsent(b.concurrency(), k -> new ArrayList<>()).add(b.millis());
        }
        List<Map<String, Object>> datasets = new ArrayList<>();
        grouped.forEach((backend, byConcurrency) -> byConcurrency.forEach((concurrency, millis) -> {
            List<Double> sorted = millis.stream().sorted().toList();
            List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) points.add(Map.of("x", sorted.get(i), "y", (i + 1) / (double) sorted.size()));
            datasets.add(Map.of("label", Approach.label(backend, host) + ", " + concurrency + " at once", "points", points));
        }));
        return Map.of("datasets", datasets);
    }
}
