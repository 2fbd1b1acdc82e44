package dev.slice.usage.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import dev.slice.account.Actor;
import dev.slice.usage.DayTraffic;
import dev.slice.usage.MonthlyTraffic;
import dev.slice.usage.UsagePoint;
import dev.slice.usage.UsageService;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A server's traffic this month (UTC): outbound used against the plan's allowance (what billing counts), inbound, and a
 * bar per day (GB here are billing's, 10^9 bytes); below it the stored usage history (CPU, memory, disk, network) of the
 * last hour, day or 30 days. Chart.js as in the live usage chart.
 */
public class UsageSection extends Div {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);

    private final UsageService usage;
    private final Actor actor;
    private final Span figure = new Span();
    private final Div chart = new Div();
    private final Select<String> range = new Select<>();
    private final Div history = new Div();
    private long serverId;

    public UsageSection(UsageService usage, Actor actor) {
        this.usage = usage;
        this.actor = actor;
        setId("server-traffic");
        setWidthFull();
        figure.setId("traffic-figure");
        chart.setId("traffic-chart");
        chart.setWidth("min(900px, 100%)");
        chart.setHeight("200px");
        chart.getStyle().set("position", "relative");
        range.setId("usage-range");
        range.setLabel("Usage history (UTC)");
        range.setItems("hour", "day", "month");
        range.setItemLabelGenerator(r -> switch (r) {
            case "hour" -> "Last hour";
            case "day" -> "Last day";
            default -> "Last 30 days";
        });
        range.setValue("hour");
        range.addValueChangeListener(e -> showHistory());
        history.setId("usage-history");
        history.setWidth("min(900px, 100%)");
        history.setHeight("220px");
        history.getStyle().set("position", "relative");
        add(new H3("Traffic this month"), figure, chart, range, history);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().getPage().addJavaScript("webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        event.getUI().getPage().addJavaScript("stats/slice-traffic-chart.js");
    }

    public void show(long serverId) {
        this.serverId = serverId;
        showTraffic();
        showHistory();
    }

    private void showTraffic() {
        MonthlyTraffic month = usage.traffic(actor, serverId, null);
        String out = gb(month.txBytes());
        figure.setText(month.allowanceGb() == 0
                ? "Outbound " + out + " (unmetered) · inbound " + gb(month.rxBytes())
                : "Outbound " + out + " of " + month.allowanceGb() + " GB included"
                  + (month.overagePerGbCents() > 0 ? String.format(Locale.ROOT, ", then %d.%02d per GB", month.overagePerGbCents() / 100,
                        month.overagePerGbCents() % 100) : "")
                  + " · inbound " + gb(month.rxBytes()));
        String days = month.days().stream().map(UsageSection::json).collect(Collectors.joining(",", "[", "]"));
        chart.getElement().setAttribute("data-days", String.valueOf(month.days().size()));
        chart.getElement().executeJs("window.sliceTraffic.show(this, $0, $1)", month.month(), days);
    }

    /** CPU as % of one vCPU over each point's own interval (the time since the point before; an hour for roll-ups). */
    private void showHistory() {
        String which = range.getValue();
        List<UsagePoint> points = usage.history(actor, serverId, which);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            UsagePoint p = points.get(i);
            boolean hourly = !which.equals("hour");
            long nanos = hourly ? Duration.ofHours(1).toNanos() : i == 0 ? 0 : Duration.between(points.get(i - 1).at(), p.at()).toNanos();
            if (nanos <= 0) continue;
            rows.add(String.format(Locale.ROOT, "{\"t\":\"%s\",\"cpu\":%.1f,\"mem\":%.1f,\"disk\":%.3f,\"in\":%.3f,\"out\":%.3f}",
                    (hourly ? DAY_HOUR : TIME).format(p.at()), 100.0 * p.cpuTimeNanos() / nanos, p.memoryBytes() / 1048576.0,
                    (p.diskReadBytes() + p.diskWriteBytes()) / 1e6, p.netRxBytes() / 1e6, p.netTxBytes() / 1e6));
        }
        history.getElement().setAttribute("data-points", String.valueOf(rows.size()));
        history.getElement().executeJs("window.sliceTraffic.history(this, $0)", "[" + String.join(",", rows) + "]");
    }

    private static String json(DayTraffic day) {
        return String.format(Locale.ROOT, "{\"day\":\"%s\",\"out\":%.3f,\"in\":%.3f}", day.day(), day.txBytes() / 1e9, day.rxBytes() / 1e9);
    }

    /** Billing's GB, two decimals. */
    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
