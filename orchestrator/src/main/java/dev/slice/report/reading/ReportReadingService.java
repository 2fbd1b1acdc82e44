package dev.slice.report.reading;

import dev.slice.account.Actor;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.node.Node;
import dev.slice.node.NodeService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.report.ReportRepository;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportService;
import dev.slice.report.ReportStatus;
import dev.slice.report.meaning.Meaning;
import dev.slice.report.meaning.PlanFit;
import dev.slice.report.meaning.ReportMeaning;
import dev.slice.security.AccessRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading side of reports, for operators only (the same rule as {@link ReportService}, which every call here
 * goes through first): what a run means, two runs side by side, each guest's boot time, and how many guests of a
 * plan fit on each node per backend from the latest report that measured it.
 */
public class ReportReadingService {
    /** How far back the fits look for a node's latest report of each backend. */
    static final int RUNS_SCANNED = 200;

    private final ReportService reports;
    private final ReportRepository repository;
    private final NodeService nodes;
    private final PlanService plans;

    public ReportReadingService(ReportService reports, ReportRepository repository, NodeService nodes, PlanService plans) {
        this.reports = reports;
        this.repository = repository;
        this.nodes = nodes;
        this.plans = plans;
    }

    /** A run's results with what they mean, and the node it measured. */
    public record Reading(ReportResults results, String nodeName, Meaning meaning) {}

    public Reading read(Actor actor, long runId) {
        ReportResults results = reports.results(actor, runId);
        Node node = nodes.find(results.run().nodeId()).orElse(null);
        // Prices of the operator's own plans: the plans the operator sells at the size measured.
        List<Plan> own = plans.list(actor).stream().filter(p -> p.ownerId() == actor.accountId()).toList();
        Meaning meaning = ReportMeaning.of(results, node, ReportMeaning.pricesForRun(results.run(), own));
        return new Reading(results, node == null ? "node " + results.run().nodeId() : node.name(), meaning);
    }

    public ReportComparison compare(Actor actor, long firstId, long secondId) {
        if (firstId == secondId) throw new ValidationException("otherId", "name another run to compare run " + firstId + " with");
        ReportResults first = reports.results(actor, firstId);
        ReportResults second;
        try {
            second = reports.results(actor, secondId);
        } catch (NotFoundException e) {
            // Name the path's field: of the two ids, this is the one that is unknown.
            throw new NotFoundException("report run (otherId)", secondId);
        }
        return ReportComparison.of(first, second);
    }

    /** One guest's create + start until it ran a command, with how many guests booted at once. */
    public record BootTime(String backend, String purpose, int concurrency, double millis) {}

    public List<BootTime> bootTimes(Actor actor, long runId) {
        reports.get(actor, runId);
        return repository.guests(runId).stream().filter(g -> g.bootMillis() != null)
                .map(g -> new BootTime(g.backend(), g.purpose(), g.concurrency(), g.bootMillis())).toList();
    }

    /** Per node, the footprint of each backend from the newest finished run of that node that measured its density. */
    public record NodeFootprints(Node node, Map<String, PlanFit.Footprint> footprints) {}

    public List<NodeFootprints> latestFootprints(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only operators run and read reports");
        Map<Long, Map<String, PlanFit.Footprint>> byNode = new LinkedHashMap<>();
        for (ReportRun run : reports.page(actor, 0, RUNS_SCANNED)) { // newest first
            if (run.status() != ReportStatus.SUCCEEDED || !run.density()) continue;
            Map<String, PlanFit.Footprint> found = byNode.computeIfAbsent(run.nodeId(), n -> new LinkedHashMap<>());
            if (run.backends().stream().allMatch(found::containsKey)) continue;
            for (ReportResults.DensitySummary density : reports.results(actor, run.id()).density()) {
                found.putIfAbsent(density.backend(), PlanFit.Footprint.of(run, density));
            }
        }
        List<NodeFootprints> all = new ArrayList<>();
        for (var view : nodes.list(actor)) {
            all.add(new NodeFootprints(view.node(), Map.copyOf(byNode.getOrDefault(view.node().id(), Map.of()))));
        }
        return List.copyOf(all);
    }

    /** How many guests of a plan fit on one node: per backend measured there, or none when no report measured it. */
    public record NodeFit(long nodeId, String nodeName, List<PlanFit.Fit> fits) {
        public boolean reported() { return !fits.isEmpty(); }
    }

    public record PlanFits(long planId, String planName, String backend, List<NodeFit> nodes) {}

    public PlanFits planFits(Actor actor, long planId) {
        List<NodeFootprints> footprints = latestFootprints(actor);
        Plan plan = plans.get(actor, planId);
        return fits(plan, footprints);
    }

    /** The fits of one plan from footprints read once (a view with many plans reads them once). */
    public static PlanFits fits(Plan plan, List<NodeFootprints> footprints) {
        return new PlanFits(plan.id(), plan.name(), plan.backend(),
                fits(new PlanFit.Size(plan.vcpus(), plan.memoryMiB(), plan.diskMiB()), plan.backend(), footprints));
    }

    /** Per node, the guests of a size that fit per backend measured there ({@code first}: the backend listed first, or null). */
    public static List<NodeFit> fits(PlanFit.Size size, String first, List<NodeFootprints> footprints) {
        List<NodeFit> nodes = new ArrayList<>();
        for (NodeFootprints node : footprints) {
            List<PlanFit.Fit> fits = node.footprints().values().stream().map(f -> PlanFit.of(node.node(), size, f))
                    .sorted(java.util.Comparator.comparing((PlanFit.Fit f) -> !f.backend().equals(first)).thenComparing(PlanFit.Fit::backend))
                    .toList();
            nodes.add(new NodeFit(node.node().id(), node.node().name(), fits));
        }
        return List.copyOf(nodes);
    }
}
