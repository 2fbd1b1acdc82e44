package dev.slice.server.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;
import dev.slice.driver.capability.GuestStats;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * CPU and memory of a running guest over the last minutes, from the cumulative counters the backend's
 * {@code Stats} capability reports: CPU is the counter's growth between two samples over the time between them.
 * Chart.js comes from its webjar and is loaded as a plain script.
 */
class UsageChart extends Div {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private GuestStats previous;
    private Instant previousAt;

    UsageChart() {
        setId("usage-chart");
        setWidth("min(900px, 100%)");
        setHeight("240px");
        getStyle().set("position", "relative");
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().getPage().addJavaScript("webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        event.getUI().getPage().addJavaScript("stats/slice-usage-chart.js");
        getElement().executeJs("window.sliceUsage.attach(this)");
    }

    /** Adds one sample; the first only sets the baseline for the CPU rate. */
    void add(GuestStats sample, Instant at) {
        if (previous != null && sample.cpuTimeNanos() >= 0 && previous.cpuTimeNanos() >= 0) {
            long wallNanos = Duration.between(previousAt, at).toNanos();
            if (wallNanos > 0) {
                double cpuPercent = Math.max(0, 100.0 * (sample.cpuTimeNanos() - previous.cpuTimeNanos()) / wallNanos);
                double memoryMiB = sample.memoryBytes() < 0 ? 0 : sample.memoryBytes() / (1024.0 * 1024.0);
                getElement().executeJs("window.sliceUsage.push(this, $0, $1, $2)", LABEL.format(at),
                        Math.round(cpuPercent * 10) / 10.0, Math.round(memoryMiB * 10) / 10.0);
            }
        }
        previous = sample;
        previousAt = at;
    }
}
