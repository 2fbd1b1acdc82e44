package dev.slice.report.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import dev.slice.node.Node;
import dev.slice.plan.Plan;
import dev.slice.report.meaning.PlanFit;
import dev.slice.report.reading.ReportReadingService;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How many guests of a plan fit per node and backend, from the latest report of each, in words for the plan
 * editor and as a table for the node view ("no report yet" where none measured it).
 */
public final class GuestFits {
    public static final String NO_REPORT = "no report yet";

    private GuestFits() {}

    /** "local: oci 86 (memory), qemu 40 (vCPUs); node2: no report yet". */
    public static String text(ReportReadingService.PlanFits fits) {
        return text(fits.nodes());
    }

    public static String text(List<ReportReadingService.NodeFit> nodes) {
        if (nodes.isEmpty()) return NO_REPORT;
        return nodes.stream().map(GuestFits::text).collect(Collectors.joining("; "));
    }

    static String text(ReportReadingService.NodeFit node) {
        if (!node.reported()) return node.nodeName() + ": " + NO_REPORT;
        return node.nodeName() + ": " + node.fits().stream().map(f -> f.backend() + " " + f.guests() + " (" + f.limitedBy() + ")")
                .collect(Collectors.joining(", "));
    }

    /** The guests of each plan that fit on one node, per backend its latest reports measured. */
    public static Div forNode(Node node, List<ReportReadingService.NodeFootprints> footprints, List<Plan> plans) {
        Div box = new Div();
        box.setId("fits-" + node.name());
        var mine = footprints.stream().filter(f -> f.node().id() == node.id()).findFirst();
        if (mine.isEmpty() || mine.get().footprints().isEmpty()) {
            box.add(new Paragraph("Guests that fit per plan: " + NO_REPORT + " on " + node.name() + " (start a benchmark run under Reports)."));
            return box;
        }
        List<String> backends = new ArrayList<>(new TreeSet<>(mine.get().footprints().keySet()));
        List<String> headers = new ArrayList<>(List.of("Plan", "Size"));
        backends.forEach(b -> headers.add(b + " (run #" + mine.get().footprints().get(b).runId() + ")"));
        List<List<String>> rows = new ArrayList<>();
        for (Plan plan : plans) {
            List<String> row = new ArrayList<>(List.of(plan.name() + " (" + plan.backend() + ")",
                    plan.vcpus() + " vCPU, " + plan.memoryMiB() + " MiB, " + plan.diskMiB() + " MiB disk"));
            PlanFit.Size size = new PlanFit.Size(plan.vcpus(), plan.memoryMiB(), plan.diskMiB());
            for (String backend : backends) {
                PlanFit.Fit fit = PlanFit.of(node, size, mine.get().footprints().get(backend));
                row.add(fit.guests() + " (" + fit.limitedBy() + ")");
            }
            rows.add(row);
        }
        box.add(new Paragraph("Guests of each plan that fit on " + node.name() + " at its overcommit ratios, from the footprint the latest "
                + "report of each backend measured:"));
        box.add(Tables.of("fits-table-" + node.name(), headers, rows));
        // Which reserve each column kept: the node's own unless that report's request named one.
        box.add(new Paragraph("Memory kept for the host: " + backends.stream().map(b -> {
            PlanFit.Fit any = PlanFit.of(node, new PlanFit.Size(1, 1, 1), mine.get().footprints().get(b));
            return b + ": " + any.reserve().description();
        }).collect(Collectors.joining("; ")) + "."));
        return box;
    }
}
