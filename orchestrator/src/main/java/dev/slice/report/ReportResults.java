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
public record ReportResults(ReportRun run, HostFacts host, List<Figure> figures, List<Overhead> overheads, List<BackendSummary> summaries,
                            List<DensitySummary> density, List<ReportRepository.DensityPoint> densityCurve, List<BootTimes> bootTimes,
                            List<ReportRepository.NotMeasured> notMeasured, List<ReportRepository.Target> targets, List<Burst> bursts) {

    public ReportResults(ReportRun run, HostFacts host, List<Figure> figures, List<Overhead> overheads, List<BackendSummary> summaries,
                         List<DensitySummary> density, List<ReportRepository.DensityPoint> densityCurve, List<BootTimes> bootTimes) {
        this(run, host, figures, overheads, summaries, density, densityCurve, bootTimes, List.of(), List.of(), List.of());
    }

    public ReportResults(ReportRun run, HostFacts host, List<Figure> figures, List<Overhead> overheads, List<BackendSummary> summaries,
                         List<DensitySummary> density, List<ReportRepository.DensityPoint> densityCurve, List<BootTimes> bootTimes,
                         List<ReportRepository.NotMeasured> notMeasured, List<ReportRepository.Target> targets) {
        this(run, host, figures, overheads, summaries, density, densityCurve, bootTimes, notMeasured, targets, List.of());
    }

    /**
     * What density found for a backend: guests started one by one and why it stopped, the footprint at the last
     * count, the one-guest CPU score at the first and last count, and how many guests of this plan fit on the host
     * at the node's memory overcommit, keeping {@code reserve} ({@link FitReserve}: the node's, unless the run's request
     * named one), from the plan's RAM plus the measured memory beyond it.
     */
    public record DensitySummary(String backend, int guests, String stopReason, Double hostMiBPerGuest, Double chargedMiBPerGuest,
                                 Double idleCpuPercentPerGuest, Double cpuScoreFirst, Double cpuScoreLast, long guestsThatFit,
                                 double memoryOvercommit, Double pssMiBPerGuest, Double kernelMiBPerGuest, long guestsThatFitByMemory,
                                 Long guestsThatFitByCpu, double cpuOvercommit, FitReserve reserve) {
        public DensitySummary(String backend, int guests, String stopReason, Double hostMiBPerGuest, Double chargedMiBPerGuest,
                              Double idleCpuPercentPerGuest, Double cpuScoreFirst, Double cpuScoreLast, long guestsThatFit,
                              double memoryOvercommit) {
            this(backend, guests, stopReason, hostMiBPerGuest, chargedMiBPerGuest, idleCpuPercentPerGuest, cpuScoreFirst, cpuScoreLast,
                    guestsThatFit, memoryOvercommit, null, null, guestsThatFit, null, 0, null);
        }

        public DensitySummary(String backend, int guests, String stopReason, Double hostMiBPerGuest, Double chargedMiBPerGuest,
                              Double idleCpuPercentPerGuest, Double cpuScoreFirst, Double cpuScoreLast, long guestsThatFit,
                              double memoryOvercommit, Double pssMiBPerGuest, Double kernelMiBPerGuest, long guestsThatFitByMemory,
                              Long guestsThatFitByCpu, double cpuOvercommit) {
            this(backend, guests, stopReason, hostMiBPerGuest, chargedMiBPerGuest, idleCpuPercentPerGuest, cpuScoreFirst, cpuScoreLast,
                    guestsThatFit, memoryOvercommit, pssMiBPerGuest, kernelMiBPerGuest, guestsThatFitByMemory, guestsThatFitByCpu,
                    cpuOvercommit, null);
        }

        /** What one guest of this summary costs the host beyond {@code ramMiB}, by {@link #beyondRam}. */
        public long beyondRam(long ramMiB) {
            return beyondRam(hostMiBPerGuest, pssMiBPerGuest, kernelMiBPerGuest, ramMiB);
        }

        /** What one guest costs the host beyond its RAM, from the larger of PSS + kernel memory and MemAvailable's drop. */
        static long beyondRam(Double hostMiBPerGuest, Double pssMiBPerGuest, Double kernelMiBPerGuest, long ramMiB) {
            double measured = hostMiBPerGuest == null ? 0 : hostMiBPerGuest;
            if (pssMiBPerGuest != null) measured = Math.max(measured, pssMiBPerGuest + (kernelMiBPerGuest == null ? 0 : kernelMiBPerGuest));
            return Math.max(0, Math.round(measured) - ramMiB);
        }
    }

    /** Boot times (create + start until a command runs) at one concurrency. */
    public record BootTimes(String backend, int concurrency, int n, double p50, double p95) {}

    /**
     * The density guests of a backend booted {@code concurrency} at once (1: one by one): how many were started, how
     * many booted (timed), how many failed and why ({@code reasons}: each distinct reason with how many guests gave it),
     * and {@code untimed} guests that neither booted with a time nor failed (they existed before a resumed run, or the
     * run was cancelled mid-burst). {@code summary} reads "4 started, 1 booted, 3 failed: reason".
     */
    public record Burst(String backend, int concurrency, int started, int booted, int failed, int untimed, List<Reason> reasons,
                        String summary) {
        public record Reason(String reason, int guests) {}

        static Burst of(String backend, int concurrency, List<ReportRepository.RunGuest> guests) {
            int booted = (int) guests.stream().filter(g -> g.bootMillis() != null && g.failure() == null).count();
            Map<String, Integer> counted = new LinkedHashMap<>();
            guests.stream().filter(g -> g.failure() != null).forEach(g -> counted.merge(g.failure(), 1, Integer::sum));
            List<Reason> reasons = counted.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> new Reason(e.getKey(), e.getValue())).toList();
            int failed = reasons.stream().mapToInt(Reason::guests).sum();
            int untimed = guests.size() - booted - failed;
            StringBuilder summary = new StringBuilder().append(guests.size()).append(" started, ").append(booted).append(" booted");
            if (failed > 0) {
                summary.append(", ").append(failed).append(" failed: ").append(reasons.size() == 1 ? reasons.getFirst().reason()
                        : reasons.stream().map(r -> r.reason() + " (" + r.guests() + ")").collect(java.util.stream.Collectors.joining("; ")));
            }
            if (untimed > 0) summary.append(failed > 0 ? "; " : ", ").append(untimed).append(" not timed");
            return new Burst(backend, concurrency, guests.size(), booted, failed, untimed, reasons, summary.toString());
        }
    }

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
            if (!metric.comparedWithBareMetal() || overheads.stream().noneMatch(o -> o.metric().equals(metric.id()))) continue;
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
        text.append('\n');
        for (ReportRepository.NotMeasured skipped : notMeasured) {
            text.append(skipped.backend()).append(": not measured: ").append(skipped.reason()).append('\n');
        }
        return text.toString();
    }

    /** Density per backend as plain text: footprint, idle CPU, score with N, boot times, guests that fit. */
    public String densityTable() {
        StringBuilder text = new StringBuilder();
        for (DensitySummary d : density) {
            text.append(String.format(java.util.Locale.ROOT,
                    "%-9s %3d guests (stopped: %s); per guest: PSS %s MiB + kernel %s MiB, MemAvailable drop %s MiB, charged %s MiB,"
                            + " idle CPU %s %%; CPU score 1 guest %s -> %d guests %s; fit here: %d (memory x%.2f: %d, CPU x%.2f: %s;"
                            + " reserve %s)%n",
                    d.backend(), d.guests(), d.stopReason(), f(d.pssMiBPerGuest()), f(d.kernelMiBPerGuest()), f(d.hostMiBPerGuest()),
                    f(d.chargedMiBPerGuest()), f(d.idleCpuPercentPerGuest()), f(d.cpuScoreFirst()), d.guests(), f(d.cpuScoreLast()),
                    d.guestsThatFit(), d.memoryOvercommit(), d.guestsThatFitByMemory(), d.cpuOvercommit(),
                    d.guestsThatFitByCpu() == null ? "-" : Long.toString(d.guestsThatFitByCpu()),
                    d.reserve() == null ? "-" : d.reserve().description()));
        }
        for (BootTimes b : bootTimes) {
            text.append(String.format(java.util.Locale.ROOT, "%-9s boot at concurrency %2d: n=%d p50 %.0f ms p95 %.0f ms%n", b.backend(),
                    b.concurrency(), b.n(), b.p50(), b.p95()));
        }
        for (Burst b : bursts) {
            text.append(String.format(java.util.Locale.ROOT, "%-9s boots %s: %s%n", b.backend(),
                    b.concurrency() == 1 ? "one by one" : b.concurrency() + " at once", b.summary()));
        }
        return text.toString();
    }

    private static String f(Double value) {
        return value == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    /** The results of a run as its rows are now. */
    static ReportResults of(ReportRun run, ReportRepository reports, double memoryOvercommit) {
        return of(run, reports, memoryOvercommit, 0);
    }

    /** {@code cpuOvercommit} 0: the CPU does not limit the guests that fit (the node is not known). */
    static ReportResults of(ReportRun run, ReportRepository reports, double memoryOvercommit, double cpuOvercommit) {
        Map<String, Double> boots = new java.util.HashMap<>();
        reports.guests(run.id()).forEach(g -> {
            if (g.purpose().equals("measure") && g.bootMillis() != null) boots.put(g.backend(), g.bootMillis());
        });
        ReportResults results = compute(run, reports.hostFacts(run.id()).orElse(null), reports.samples(run.id()), boots);
        ReportResults withDensity = results.withDensity(reports.density(run.id()), reports.guests(run.id()), memoryOvercommit,
                cpuOvercommit);
        return new ReportResults(run, withDensity.host, withDensity.figures, withDensity.overheads, withDensity.summaries,
                withDensity.density, withDensity.densityCurve, withDensity.bootTimes, reports.notMeasured(run.id()),
                reports.targets(run.id()), withDensity.bursts);
    }

    ReportResults withDensity(List<ReportRepository.DensityPoint> curve, List<ReportRepository.RunGuest> guests, double memoryOvercommit) {
        return withDensity(curve, guests, memoryOvercommit, 0);
    }

    ReportResults withDensity(List<ReportRepository.DensityPoint> curve, List<ReportRepository.RunGuest> guests, double memoryOvercommit,
                              double cpuOvercommit) {
        List<DensitySummary> found = new ArrayList<>();
        List<BootTimes> boots = new ArrayList<>();
        List<Burst> bursts = new ArrayList<>();
        FitReserve reserve = FitReserve.of(run, host == null ? 0 : host.memoryMiB(), memoryOvercommit);
        DensityRules rules = new DensityRules(reserve.reserveMiB(), DensityRules.DEFAULT.cap(), DensityRules.DEFAULT.maxMemoryPressure());
        for (String backend : run.backends()) {
            List<ReportRepository.DensityPoint> points = curve.stream().filter(p -> p.backend().equals(backend)).toList();
            var stopped = points.stream().filter(p -> p.stopReason() != null).findFirst();
            var measured = points.stream().filter(p -> p.guests() > 0 && p.hostMiBPerGuest() != null).toList();
            if (stopped.isPresent() && !measured.isEmpty()) {
                var last = measured.getLast();
                long beyondRam = DensitySummary.beyondRam(last.hostMiBPerGuest(), last.pssMiBPerGuest(), last.kernelMiBPerGuest(),
                        run.memoryMiB());
                long byMemory = host == null ? 0 : rules.guestsThatFit(host.memoryMiB(), memoryOvercommit, run.memoryMiB(), beyondRam);
                Long byCpu = host == null || cpuOvercommit <= 0 ? null : (long) Math.floor(host.cpus() * cpuOvercommit / run.vcpus());
                found.add(new DensitySummary(backend, stopped.get().guests(), stopped.get().stopReason(), last.hostMiBPerGuest(),
                        last.chargedMiBPerGuest(), last.idleCpuPercentPerGuest(), measured.getFirst().cpuScore(), last.cpuScore(),
                        byCpu == null ? byMemory : Math.min(byMemory, byCpu), memoryOvercommit, last.pssMiBPerGuest(),
                        last.kernelMiBPerGuest(), byMemory, byCpu, cpuOvercommit, reserve));
            }
            guests.stream().filter(g -> g.backend().equals(backend) && g.bootMillis() != null)
                    .collect(java.util.stream.Collectors.groupingBy(ReportRepository.RunGuest::concurrency, TreeMap::new,
                            java.util.stream.Collectors.mapping(ReportRepository.RunGuest::bootMillis, java.util.stream.Collectors.toList())))
                    .forEach((concurrency, millis) -> boots.add(new BootTimes(backend, concurrency, millis.size(), percentile(millis, 0.5),
                            percentile(millis, 0.95))));
            guests.stream().filter(g -> g.backend().equals(backend) && g.purpose().equals("density"))
                    .collect(java.util.stream.Collectors.groupingBy(ReportRepository.RunGuest::concurrency, TreeMap::new,
                            java.util.stream.Collectors.toList()))
                    .forEach((concurrency, burst) -> bursts.add(Burst.of(backend, concurrency, burst)));
        }
        return new ReportResults(run, host, figures, overheads, summaries, List.copyOf(found), List.copyOf(curve), List.copyOf(boots),
                notMeasured, targets, List.copyOf(bursts));
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.clamp(rank - 1, 0, sorted.size() - 1));
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
        return new ReportResults(run, host, List.copyOf(figures), List.copyOf(overheads), List.copyOf(summaries), List.of(), List.of(),
                List.of());
    }
}
