package dev.slice.report.meaning;

import dev.slice.node.Node;
import dev.slice.report.HostFacts;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportResults.BackendSummary;
import dev.slice.report.ReportRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a report's figures into sentences an operator can act on: which backend is densest and which cheapest
 * per guest at the plan size, what a host yields per month per backend, whether the classic claims hold here,
 * and the published figures beside the measured ones. Pure: the same results give the same words.
 */
public final class ReportMeaning {
    /** "Within a few percent of bare metal": a geometric mean of the ratios within this of 1.00. */
    static final double FEW_PERCENT = 0.05;

    private ReportMeaning() {}

    /**
     * @param node   the node the run measured (its CPUs, memory, disk and overcommit ratios give the guests that fit)
     * @param prices per backend, the plan of the run's size it is sold as (backends without one get no revenue)
     */
    public static Meaning of(ReportResults results, Node node, Map<String, PlanPrice> prices) {
        ReportRun run = results.run();
        HostFacts host = results.host();
        List<String> sentences = new ArrayList<>();
        List<Meaning.Economics> economics = economics(results, node, prices);
        String size = run.vcpus() + " vCPU" + (run.vcpus() == 1 ? "" : "s") + ", " + run.memoryMiB() + " MiB and " + run.diskMiB() + " MiB of disk";

        for (BackendSummary s : results.summaries()) {
            long noisy = results.overheads().stream().filter(o -> o.backend().equals(s.backend()) && o.noisy()).count();
            sentences.add(String.format(Locale.ROOT, "%s runs at %.2f of bare metal (geometric mean of %d workload ratios%s)%s.",
                    label(s.backend(), host), s.geometricMean(), s.metrics(), noisy == 0 ? "" : ", " + noisy + " of them noisy",
                    s.emulated() ? "; this is emulation, not virtualization" : ""));
        }
        if (economics.isEmpty()) {
            sentences.add("Density was not measured in this run, so there are no guests-that-fit or revenue figures.");
        } else {
            Meaning.Economics densest = economics.stream().max(Comparator.comparingLong(e -> e.fit().guests())).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "At %s, the densest backend on %s is %s: %d guests fit (limited by %s; "
                            + "%d by memory at %.1fx overcommit, %d by vCPUs at %.1fx, %d by disk at %.1fx).",
                    size, node.name(), densest.label(), densest.fit().guests(), densest.fit().limitedBy(), densest.fit().byMemory(),
                    node.memoryOvercommit(), densest.fit().byCpu(), node.cpuOvercommit(), densest.fit().byDisk(), node.diskOvercommit()));
            Meaning.Economics cheapest = economics.stream().min(Comparator.comparingLong(e -> e.fit().overheadMiB())).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "The cheapest per guest in host memory is %s: its %d MiB of RAM plus %d MiB measured "
                    + "beyond it.", cheapest.label(), run.memoryMiB(), cheapest.fit().overheadMiB()));
            for (Meaning.Economics e : economics) {
                if (e.monthlyRevenueCents() == null) {
                    sentences.add(String.format(Locale.ROOT, "%s: %d guests fit, but no active plan of %s sells guests of %d vCPU and %d MiB, "
                            + "so no revenue is computed.", e.label(), e.fit().guests(), e.backend(), run.vcpus(), run.memoryMiB()));
                } else {
                    sentences.add(String.format(Locale.ROOT, "One host yields %s per month with %s (%d guests of plan %s at %s).",
                            money(e.monthlyRevenueCents()), e.label(), e.fit().guests(), e.planName(), money(e.priceCents())));
                }
            }
        }
        long noisy = results.overheads().stream().filter(ReportResults.Overhead::noisy).count();
        if (noisy > 0) {
            sentences.add(noisy + " of " + results.overheads().size() + " ratios are noisy (coefficient of variation above 5 %): the host "
                    + "was busy while they were measured; repeat the run on a quiet host before relying on them.");
        }
        return new Meaning(List.copyOf(sentences), claims(results), economics, references(results, economics));
    }

    static List<Meaning.Economics> economics(ReportResults results, Node node, Map<String, PlanPrice> prices) {
        if (node == null) return List.of();
        ReportRun run = results.run();
        PlanFit.Size size = new PlanFit.Size(run.vcpus(), run.memoryMiB(), run.diskMiB());
        List<Meaning.Economics> economics = new ArrayList<>();
        for (ReportResults.DensitySummary density : results.density()) {
            PlanFit.Fit fit = PlanFit.of(node, size, PlanFit.Footprint.of(run, density));
            PlanPrice price = prices.get(density.backend());
            economics.add(new Meaning.Economics(density.backend(), label(density.backend(), results.host()),
                    Approach.of(density.backend(), results.host()), fit, price == null ? null : price.name(),
                    price == null ? null : price.monthlyPriceCents(), price == null ? null : price.monthlyPriceCents() * fit.guests()));
        }
        return List.copyOf(economics);
    }

    static List<Meaning.Claim> claims(ReportResults results) {
        Map<Approach, List<BackendSummary>> by = results.summaries().stream()
                .collect(Collectors.groupingBy(s -> Approach.of(s.backend(), results.host())));
        List<Meaning.Claim> claims = new ArrayList<>();
        HostFacts host = results.host();

        String osClaim = "OS-level virtualization runs within a few percent of bare metal";
        List<BackendSummary> os = by.getOrDefault(Approach.OS_LEVEL, List.of());
        if (os.isEmpty()) {
            claims.add(new Meaning.Claim(osClaim, Meaning.Verdict.NOT_MEASURED, "No OS-level backend (container) was measured."));
        } else {
            boolean holds = os.stream().allMatch(s -> Math.abs(s.geometricMean() - 1) <= FEW_PERCENT);
            String figures = os.stream().map(s -> String.format(Locale.ROOT, "%s %.2f", label(s.backend(), host), s.geometricMean()))
                    .collect(Collectors.joining(", "));
            String beyond = os.stream().flatMap(s -> results.overheads().stream().filter(o -> o.backend().equals(s.backend())
                            && Math.abs(o.ratio() - 1) > FEW_PERCENT)).map(o -> String.format(Locale.ROOT, "%s %.2f", o.metric(), o.ratio()))
                    .collect(Collectors.joining(", "));
            claims.add(new Meaning.Claim(osClaim, holds ? Meaning.Verdict.HOLDS : Meaning.Verdict.DOES_NOT_HOLD,
                    (holds ? "Holds here: " : "Does not hold here: ") + figures + " (geometric mean; 1.00 = bare metal)"
                            + (beyond.isEmpty() ? "." : "; workloads off by more than 5 %: " + beyond + ".")));
        }
        claims.add(slower("Full virtualization is slower than OS-level virtualization", by, Approach.FULL_VIRTUALIZATION,
                List.of(Approach.OS_LEVEL), host));
        List<BackendSummary> para = by.getOrDefault(Approach.PARAVIRTUALIZATION, List.of());
        List<BackendSummary> full = by.getOrDefault(Approach.FULL_VIRTUALIZATION, List.of());
        String paraClaim = "Paravirtualization lies between OS-level and full virtualization";
        if (para.isEmpty() || os.isEmpty() || full.isEmpty()) {
            claims.add(new Meaning.Claim(paraClaim, Meaning.Verdict.NOT_MEASURED, "Needs a paravirtualized, an OS-level and a fully "
                    + "virtualized backend in one run; this run measured " + measured(by) + "."));
        } else {
            boolean holds = max(para) <= min(os) && min(para) >= max(full);
            claims.add(new Meaning.Claim(paraClaim, holds ? Meaning.Verdict.HOLDS : Meaning.Verdict.DOES_NOT_HOLD,
                    (holds ? "Holds here: " : "Does not hold here: ") + list(os, host) + "; " + list(para, host) + "; " + list(full, host) + "."));
        }
        claims.add(slower("Emulation is the slowest", by, Approach.EMULATION,
                List.of(Approach.OS_LEVEL, Approach.PARAVIRTUALIZATION, Approach.FULL_VIRTUALIZATION), host));
        return List.copyOf(claims);
    }

    /** Whether every backend of {@code slow} is below every backend of the others. */
    private static Meaning.Claim slower(String claim, Map<Approach, List<BackendSummary>> by, Approach slow, List<Approach> faster,
                                        HostFacts host) {
        List<BackendSummary> these = by.getOrDefault(slow, List.of());
        List<BackendSummary> others = faster.stream().flatMap(a -> by.getOrDefault(a, List.of()).stream()).toList();
        if (these.isEmpty() || others.isEmpty()) {
            return new Meaning.Claim(claim, Meaning.Verdict.NOT_MEASURED, "Needs " + slow.words() + " and "
                    + faster.stream().map(Approach::words).collect(Collectors.joining(" or ")) + " in one run; this run measured "
                    + measured(by) + ".");
        }
        boolean holds = max(these) < min(others);
        return new Meaning.Claim(claim, holds ? Meaning.Verdict.HOLDS : Meaning.Verdict.DOES_NOT_HOLD,
                (holds ? "Holds here: " : "Does not hold here: ") + list(these, host) + " against " + list(others, host) + ".");
    }

    static List<Meaning.Reference> references(ReportResults results, List<Meaning.Economics> economics) {
        HostFacts host = results.host();
        List<Meaning.Reference> references = new ArrayList<>();
        for (ReportResults.Overhead o : results.overheads()) {
            for (PublishedFigure p : PublishedFigures.ratios(Approach.of(o.backend(), host), o.metric())) {
                references.add(new Meaning.Reference(o.backend(), label(o.backend(), host), o.metric(), o.ratio(), o.low(), o.high(), p));
            }
        }
        for (Meaning.Economics e : economics) {
            for (PublishedFigure p : PublishedFigures.forApproach(e.approach())) {
                if (p.kind() == PublishedFigure.Kind.MEMORY_PER_GUEST_MB) {
                    references.add(new Meaning.Reference(e.backend(), e.label(), "memory_per_guest", (double) e.fit().overheadMiB(), null,
                            null, p));
                }
            }
        }
        for (BackendSummary s : results.summaries()) {
            if (s.bootMillis() == null) continue;
            for (PublishedFigure p : PublishedFigures.forApproach(Approach.of(s.backend(), host))) {
                if (p.kind() == PublishedFigure.Kind.BOOT_MS) {
                    references.add(new Meaning.Reference(s.backend(), label(s.backend(), host), "boot", s.bootMillis(), null, null, p));
                }
            }
        }
        return List.copyOf(references);
    }

    private static String label(String backend, HostFacts host) {
        return Approach.label(backend, host);
    }

    private static String measured(Map<Approach, List<BackendSummary>> by) {
        if (by.isEmpty()) return "no backend";
        return by.keySet().stream().sorted().map(Approach::words).collect(Collectors.joining(", "));
    }

    private static String list(List<BackendSummary> summaries, HostFacts host) {
        return summaries.stream().map(s -> String.format(Locale.ROOT, "%s %.2f", label(s.backend(), host), s.geometricMean()))
                .collect(Collectors.joining(", "));
    }

    private static double max(List<BackendSummary> s) {
        return s.stream().mapToDouble(BackendSummary::geometricMean).max().orElseThrow();
    }

    private static double min(List<BackendSummary> s) {
        return s.stream().mapToDouble(BackendSummary::geometricMean).min().orElseThrow();
    }

    static String money(long cents) {
        return String.format(Locale.ROOT, "%d.%02d", cents / 100, Math.abs(cents % 100));
    }

    /** The cheapest active plan per backend with the run's vCPUs and memory (the size the run measured). */
    public static Map<String, PlanPrice> pricesForRun(ReportRun run, List<dev.slice.plan.Plan> plans) {
        return plans.stream().filter(p -> p.active() && p.vcpus() == run.vcpus() && p.memoryMiB() == run.memoryMiB())
                .collect(Collectors.toMap(dev.slice.plan.Plan::backend,
                        p -> new PlanPrice(p.id(), p.name(), p.backend(), p.monthlyPriceCents()),
                        (a, b) -> a.monthlyPriceCents() <= b.monthlyPriceCents() ? a : b));
    }
}
