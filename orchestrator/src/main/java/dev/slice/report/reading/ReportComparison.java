package dev.slice.report.reading;

import dev.slice.report.HostFacts;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;
import dev.slice.report.meaning.Approach;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Two runs side by side (the same node over time, or two nodes): every backend x workload ratio of both with
 * their intervals, and whether the difference is beyond both intervals; each backend's geometric mean, boot time
 * and guests that fit; the host facts that differ. Pure.
 */
public record ReportComparison(ReportRun first, ReportRun second, List<Row> ratios, List<BackendRow> backends,
                               List<FactDifference> hostDifferences) {

    /** One backend x metric; a side is null when that run has no such ratio. {@code changed}: the intervals do not overlap. */
    public record Row(String backend, String metric, Side first, Side second, Double change, boolean changed) {}

    public record Side(double ratio, double low, double high, boolean noisy) {}

    /** A backend's summary in both runs (null fields: not measured in that run). */
    public record BackendRow(String backend, String firstLabel, String secondLabel, Double firstGeometricMean, Double secondGeometricMean,
                             Double firstBootMillis, Double secondBootMillis, Long firstGuestsThatFit, Long secondGuestsThatFit) {}

    public record FactDifference(String fact, String first, String second) {}

    public static ReportComparison of(ReportResults a, ReportResults b) {
        Set<String> backends = new LinkedHashSet<>(a.run().backends());
        backends.addAll(b.run().backends());
        List<Row> rows = new ArrayList<>();
        List<BackendRow> summaries = new ArrayList<>();
        for (String backend : backends) {
            Set<String> metrics = new LinkedHashSet<>();
            a.overheads().stream().filter(o -> o.backend().equals(backend)).forEach(o -> metrics.add(o.metric()));
            b.overheads().stream().filter(o -> o.backend().equals(backend)).forEach(o -> metrics.add(o.metric()));
            for (String metric : metrics) {
                Side first = side(a, backend, metric);
                Side second = side(b, backend, metric);
                Double change = first == null || second == null || first.ratio() == 0 ? null : second.ratio() / first.ratio();
                boolean changed = first != null && second != null && (second.low() > first.high() || second.high() < first.low());
                rows.add(new Row(backend, metric, first, second, change, changed));
            }
            var sa = a.summaries().stream().filter(s -> s.backend().equals(backend)).findFirst();
            var sb = b.summaries().stream().filter(s -> s.backend().equals(backend)).findFirst();
            var da = a.density().stream().filter(d -> d.backend().equals(backend)).findFirst();
            var db = b.density().stream().filter(d -> d.backend().equals(backend)).findFirst();
            summaries.add(new BackendRow(backend, Approach.label(backend, a.host()), Approach.label(backend, b.host()),
                    sa.map(ReportResults.BackendSummary::geometricMean).orElse(null), sb.map(ReportResults.BackendSummary::geometricMean).orElse(null),
                    sa.map(ReportResults.BackendSummary::bootMillis).orElse(null), sb.map(ReportResults.BackendSummary::bootMillis).orElse(null),
                    da.map(ReportResults.DensitySummary::guestsThatFit).orElse(null), db.map(ReportResults.DensitySummary::guestsThatFit).orElse(null)));
        }
        return new ReportComparison(a.run(), b.run(), List.copyOf(rows), List.copyOf(summaries), differences(a, b));
    }

    private static Side side(ReportResults results, String backend, String metric) {
        return results.overheads().stream().filter(o -> o.backend().equals(backend) && o.metric().equals(metric)).findFirst()
                .map(o -> new Side(o.ratio(), o.low(), o.high(), o.noisy())).orElse(null);
    }

    private static List<FactDifference> differences(ReportResults a, ReportResults b) {
        Map<String, String[]> facts = new LinkedHashMap<>();
        facts.put("node", new String[] {String.valueOf(a.run().nodeId()), String.valueOf(b.run().nodeId())});
        facts.put("plan size", new String[] {size(a.run()), size(b.run())});
        facts.put("depth", new String[] {a.run().depth().id(), b.run().depth().id()});
        HostFacts ha = a.host();
        HostFacts hb = b.host();
        if (ha != null || hb != null) {
            facts.put("CPU model", new String[] {ha == null ? null : ha.cpuModel(), hb == null ? null : hb.cpuModel()});
            facts.put("cores", new String[] {ha == null ? null : String.valueOf(ha.cpus()), hb == null ? null : String.valueOf(hb.cpus())});
            facts.put("memory MiB", new String[] {ha == null ? null : String.valueOf(ha.memoryMiB()), hb == null ? null : String.valueOf(hb.memoryMiB())});
            facts.put("kernel", new String[] {ha == null ? null : ha.kernel(), hb == null ? null : hb.kernel()});
            facts.put("KSM", new String[] {ha == null ? null : ha.ksm(), hb == null ? null : hb.ksm()});
            facts.put("governor", new String[] {ha == null ? null : ha.governor(), hb == null ? null : hb.governor()});
            Set<String> backends = new LinkedHashSet<>();
            if (ha != null) backends.addAll(ha.backends().keySet());
            if (hb != null) backends.addAll(hb.backends().keySet());
            for (String backend : backends) {
                facts.put(backend, new String[] {ha == null ? null : ha.backends().get(backend), hb == null ? null : hb.backends().get(backend)});
            }
        }
        List<FactDifference> differences = new ArrayList<>();
        facts.forEach((fact, values) -> {
            if (!Objects.equals(values[0], values[1])) differences.add(new FactDifference(fact, values[0], values[1]));
        });
        return List.copyOf(differences);
    }

    private static String size(ReportRun run) {
        return run.vcpus() + " vCPU, " + run.memoryMiB() + " MiB, " + run.diskMiB() + " MiB disk";
    }
}
