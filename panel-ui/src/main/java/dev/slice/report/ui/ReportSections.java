package dev.slice.report.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import dev.slice.display.Sizes;
import dev.slice.report.HostFacts;
import dev.slice.report.Metric;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;
import dev.slice.report.meaning.Approach;
import dev.slice.report.meaning.Meaning;
import dev.slice.report.reading.ReportReadingService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A finished run's report: downloads, what it means, the ratio table, charts, density, published figures, host facts. */
class ReportSections extends Div {

    ReportSections(ReportReadingService.Reading reading, List<ReportReadingService.BootTime> boots) {
        ReportResults results = reading.results();
        ReportRun run = results.run();
        HostFacts host = results.host();
        setWidthFull();

        Anchor csv = new Anchor("/api/reports/" + run.id() + "/samples.csv", "Download every sample (CSV)");
        csv.setId("download-csv");
        csv.getElement().setAttribute("download", "report-" + run.id() + "-samples.csv");
        csv.getElement().setAttribute("router-ignore", true); // a file from the API, not a panel page
        Anchor json = new Anchor("/api/reports/" + run.id() + "/samples.json", "Download every sample (JSON)");
        json.setId("download-json");
        json.getElement().setAttribute("download", "report-" + run.id() + "-samples.json");
        json.getElement().setAttribute("router-ignore", true);
        Button print = new Button("Print", e -> e.getSource().getUI().ifPresent(ui -> ui.getPage().executeJs("window.print()")));
        print.setId("report-print");
        HorizontalLayout downloads = new HorizontalLayout(csv, json, print);
        downloads.setAlignItems(com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment.BASELINE);
        downloads.addClassName("slice-no-print");
        add(downloads);

        add(new H3("What it means"));
        Div sentences = new Div();
        sentences.setId("report-meaning");
        reading.meaning().sentences().forEach(s -> sentences.add(new Paragraph(s)));
        add(sentences);
        add(Tables.of("report-claims", List.of("Classic claim", "Here", "Figures"), reading.meaning().claims().stream()
                .map(c -> List.of(c.claim(), verdict(c.verdict()), c.sentence())).toList()));
        if (!reading.meaning().economics().isEmpty()) {
            add(Tables.of("report-economics", List.of("Backend", "Guests that fit", "Limited by", "Beyond RAM per guest", "Plan", "Price",
                    "Revenue per host per month"), reading.meaning().economics().stream().map(e -> List.of(e.label(),
                    String.valueOf(e.fit().guests()), e.fit().limitedBy(), e.fit().overheadMiB() + " MiB", e.planName() == null ? "none" : e.planName(),
                    e.priceCents() == null ? "–" : Sizes.perMonth(e.priceCents()),
                    e.monthlyRevenueCents() == null ? "–" : Sizes.perMonth(e.monthlyRevenueCents()))).toList()));
        }

        add(new H3("Overhead against bare metal"));
        add(new Paragraph("Ratio of medians with its 95 % interval; 1.00 = bare metal, below 1.00 = slower (latencies inverted); "
                + "* = noisy (coefficient of variation above 5 %)."));
        add(ratioTable(results));

        add(new H3("Charts"));
        ReportCharts charts = new ReportCharts(ReportChartData.of(reading, boots));
        add(charts);

        if (!results.density().isEmpty()) {
            add(new H3("Density"));
            add(Tables.of("report-density", List.of("Backend", "Guests started", "Stopped by", "Host MiB per guest", "Charged MiB per guest",
                    "Idle CPU % per guest", "CPU score, 1st → last", "Fit (memory, at " + results.density().getFirst().memoryOvercommit() + "×)",
                    "Reserve kept"),
                    results.density().stream().map(d -> List.of(Approach.label(d.backend(), host), String.valueOf(d.guests()),
                            d.stopReason() == null ? "" : d.stopReason(), Tables.number(d.hostMiBPerGuest(), "%.1f"),
                            Tables.number(d.chargedMiBPerGuest(), "%.1f"), Tables.number(d.idleCpuPercentPerGuest(), "%.2f"),
                            Tables.number(d.cpuScoreFirst(), "%.0f") + " → " + Tables.number(d.cpuScoreLast(), "%.0f"),
                            String.valueOf(d.guestsThatFit()), d.reserve() == null ? "" : d.reserve().description())).toList()));
        }
        if (!results.bootTimes().isEmpty()) {
            add(Tables.of("report-boots", List.of("Backend", "Booted at once", "Boots", "p50 ms", "p95 ms"), results.bootTimes().stream()
                    .map(b -> List.of(Approach.label(b.backend(), host), String.valueOf(b.concurrency()), String.valueOf(b.n()),
                            Tables.number(b.p50(), "%.0f"), Tables.number(b.p95(), "%.0f"))).toList()));
        }
        if (!results.bursts().isEmpty()) {
            // Failed boots have no boot time; this table keeps them counted, with the driver's reason.
            add(Tables.of("report-bursts", List.of("Backend", "Booted at once", "Started", "Booted", "Failed", "Boots"),
                    results.bursts().stream().map(b -> List.of(Approach.label(b.backend(), host),
                            b.concurrency() == 1 ? "1 (one by one)" : String.valueOf(b.concurrency()), String.valueOf(b.started()),
                            String.valueOf(b.booted()), String.valueOf(b.failed()), b.summary())).toList()));
        }

        if (!reading.meaning().references().isEmpty()) {
            add(new H3("Published figures beside this host's"));
            add(new Paragraph("Published figures come from other hosts, years and tools: read them as the shape to expect, not as a target."));
            add(Tables.of("report-references", List.of("Backend", "Figure", "Measured here", "Published"), reading.meaning().references().stream()
                    .map(r -> List.of(r.label(), r.what(), measured(r), r.published().describe())).toList()));
        }

        add(new H3("Host"));
        add(hostFacts(reading.nodeName(), host));
        add(Tables.of("report-figures", List.of("Target", "Metric", "Median", "95 % interval", "Min–max", "CV", "n"), results.figures().stream()
                .map(f -> List.of(f.target().equals(dev.slice.report.Sample.BARE_METAL) ? "bare metal" : Approach.label(f.target(), host),
                        f.label() + " (" + f.unit() + ")", String.format(Locale.ROOT, "%.4g", f.median()),
                        String.format(Locale.ROOT, "%.4g–%.4g", f.low(), f.high()), String.format(Locale.ROOT, "%.4g–%.4g", f.min(), f.max()),
                        String.format(Locale.ROOT, "%.1f %%%s", f.cv() * 100, f.noisy() ? " (noisy)" : ""), String.valueOf(f.n()))).toList()));
    }

    private static com.vaadin.flow.component.html.NativeTable ratioTable(ReportResults results) {
        HostFacts host = results.host();
        List<String> headers = new ArrayList<>(List.of("Workload", "Bare metal"));
        results.run().backends().forEach(b -> headers.add(Approach.label(b, host)));
        List<List<String>> rows = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (!metric.comparedWithBareMetal()) continue;
            List<String> row = new ArrayList<>(List.of(metric.label(), "1.00"));
            for (String backend : results.run().backends()) {
                row.add(results.overheads().stream().filter(o -> o.backend().equals(backend) && o.metric().equals(metric.id())).findFirst()
                        .map(o -> Tables.ratio(o.ratio(), o.low(), o.high(), o.noisy())).orElse("–"));
            }
            rows.add(row);
        }
        List<String> summary = new ArrayList<>(List.of("Geometric mean", "1.00"));
        for (String backend : results.run().backends()) {
            summary.add(results.summaries().stream().filter(s -> s.backend().equals(backend)).findFirst()
                    .map(s -> Tables.ratio(s.geometricMean()) + (s.emulated() ? " (emulated)" : "")).orElse("–"));
        }
        rows.add(summary);
        return Tables.of("report-ratios", headers, rows);
    }

    private static Div hostFacts(String node, HostFacts host) {
        Div facts = new Div();
        facts.setId("report-host");
        facts.addClassName("slice-facts");
        if (host == null) {
            facts.add(new Span("No host facts were recorded (the run ended before its first step)."));
            return facts;
        }
        fact(facts, "Node", node);
        fact(facts, "CPU", host.cpuModel() + ", " + host.cpus() + " cores");
        fact(facts, "Memory", Sizes.mib(host.memoryMiB()));
        fact(facts, "Kernel", host.kernel());
        fact(facts, "Cgroups", host.cgroups());
        fact(facts, "Accelerator", host.kvmDevice() ? "/dev/kvm present" : "no /dev/kvm: QEMU runs as TCG emulation");
        fact(facts, "KSM", host.ksm());
        fact(facts, "CPU governor", host.governor());
        host.backends().forEach((backend, version) -> fact(facts, Approach.label(backend, host), version));
        return facts;
    }

    private static void fact(Div facts, String name, String value) {
        facts.add(new Span(name), new Span(value == null ? "" : value));
    }

    private static String verdict(Meaning.Verdict verdict) {
        return switch (verdict) {
            case HOLDS -> "holds";
            case DOES_NOT_HOLD -> "does not hold";
            case NOT_MEASURED -> "not measured";
        };
    }

    private static String measured(Meaning.Reference r) {
        return switch (r.what()) {
            case "memory_per_guest" -> Tables.number(r.measured(), "%.0f MiB beyond RAM");
            case "boot" -> Tables.number(r.measured(), "%.0f ms");
            default -> r.low() == null ? Tables.number(r.measured(), "%.2f")
                    : Tables.ratio(r.measured(), r.low(), r.high(), false);
        };
    }
}
