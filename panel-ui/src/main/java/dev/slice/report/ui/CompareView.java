package dev.slice.report.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slice.account.Actor;
import dev.slice.error.NotFoundException;
import dev.slice.report.ReportRun;
import dev.slice.report.reading.ReportComparison;
import dev.slice.report.reading.ReportReadingService;
import dev.slice.security.Roles;
import dev.slice.security.SignedInUser;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;
import java.util.Locale;

/** Two runs side by side: the same node over time or two nodes. Ratios that moved beyond both intervals are marked. */
@Route("reports/compare/:first/:second")
@PageTitle("Compare reports · Slice")
@RolesAllowed(Roles.OPERATOR)
public class CompareView extends VerticalLayout implements BeforeEnterObserver {

    private final ReportReadingService readings;
    private final Actor actor;

    public CompareView(ReportReadingService readings, SignedInUser user) {
        this.readings = readings;
        this.actor = user.actor();
        addClassName("slice-page");
        addClassName("slice-report");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        long first = id(event.getRouteParameters().get("first").orElse(""));
        long second = id(event.getRouteParameters().get("second").orElse(""));
        ReportComparison c = readings.compare(actor, first, second);
        removeAll();
        add(new H2("Run #" + c.first().id() + " and run #" + c.second().id()));
        add(new Paragraph(describe(c.first()) + "  ·  " + describe(c.second())));
        Anchor a = new Anchor("reports/run/" + c.first().id(), "Open run #" + c.first().id());
        Anchor b = new Anchor("reports/run/" + c.second().id(), "Open run #" + c.second().id());
        add(new Paragraph(a, new com.vaadin.flow.component.html.Span("  "), b));

        add(new H3("Backends"));
        add(Tables.of("compare-backends", List.of("Backend", "Geometric mean #" + c.first().id(), "#" + c.second().id(),
                "Boot ms #" + c.first().id(), "#" + c.second().id(), "Guests that fit #" + c.first().id(), "#" + c.second().id()),
                c.backends().stream().map(r -> List.of(r.firstLabel().equals(r.secondLabel()) ? r.firstLabel() : r.firstLabel() + " / " + r.secondLabel(),
                        Tables.number(r.firstGeometricMean(), "%.2f"), Tables.number(r.secondGeometricMean(), "%.2f"),
                        Tables.number(r.firstBootMillis(), "%.0f"), Tables.number(r.secondBootMillis(), "%.0f"),
                        r.firstGuestsThatFit() == null ? "–" : String.valueOf(r.firstGuestsThatFit()),
                        r.secondGuestsThatFit() == null ? "–" : String.valueOf(r.secondGuestsThatFit()))).toList()));

        add(new H3("Ratios to bare metal"));
        add(new Paragraph("Changed = the two 95 % intervals do not overlap; * = noisy."));
        add(Tables.of("compare-ratios", List.of("Backend", "Workload", "#" + c.first().id(), "#" + c.second().id(), "Second / first", "Changed"),
                c.ratios().stream().map(r -> List.of(r.backend(), r.metric(), side(r.first()), side(r.second()),
                        Tables.number(r.change(), "%.2f"), r.changed() ? "yes" : "")).toList()));

        add(new H3("Host facts that differ"));
        if (c.hostDifferences().isEmpty()) add(new Paragraph("The same host facts in both runs."));
        else add(Tables.of("compare-host", List.of("Fact", "#" + c.first().id(), "#" + c.second().id()), c.hostDifferences().stream()
                .map(d -> List.of(d.fact(), d.first() == null ? "–" : d.first(), d.second() == null ? "–" : d.second())).toList()));
    }

    private static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new NotFoundException("report run", text);
        }
    }

    private static String side(ReportComparison.Side side) {
        return side == null ? "–" : Tables.ratio(side.ratio(), side.low(), side.high(), side.noisy());
    }

    private static String describe(ReportRun run) {
        return String.format(Locale.ROOT, "#%d: node %d, %s, %d vCPU, %d MiB, %s, %s", run.id(), run.nodeId(), String.join(", ", run.backends()),
                run.vcpus(), run.memoryMiB(), run.depth().id(), run.status().id());
    }
}
