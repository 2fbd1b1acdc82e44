package dev.slice.usage.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import dev.slice.account.Actor;
import dev.slice.usage.DayTraffic;
import dev.slice.usage.MonthlyTraffic;
import dev.slice.usage.UsageService;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A server's traffic this month (UTC): outbound used against the plan's allowance (what billing counts), inbound, and a
 * bar per day. GB here are billing's (10^9 bytes). Chart.js as in the usage chart.
 */
public class TrafficSection extends Div {
    private final UsageService usage;
    private final Actor actor;
    private final Span figure = new Span();
    private final Div chart = new Div();

    public TrafficSection(UsageService usage, Actor actor) {
        this.usage = usage;
        this.actor = actor;
        setId("server-traffic");
        setWidthFull();
        figure.setId("traffic-figure");
        chart.setId("traffic-chart");
        chart.setWidth("min(900px, 100%)");
        chart.setHeight("200px");
        chart.getStyle().set("position", "relative");
        add(new H3("Traffic this month"), figure, chart);
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().getPage().addJavaScript("webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        event.getUI().getPage().addJavaScript("stats/slice-traffic-chart.js");
    }

    public void show(long serverId) {
        MonthlyTraffic month = usage.traffic(actor, serverId, null);
        String out = gb(month.txBytes());
        figure.setText(month.allowanceGb() == 0
                ? "Outbound " + out + " (unmetered) · inbound " + gb(month.rxBytes())
                : "Outbound " + out + " of " + month.allowanceGb() + " GB included"
                  + (month.overagePerGbCents() > 0 ? String.format(Locale.ROOT, ", then %d.%02d per GB", month.overagePerGbCents() / 100,
                        month.overagePerGbCents() % 100) : "")
                  + " · inbound " + gb(month.rxBytes()));
        String days = month.days().stream().map(TrafficSection::json).collect(Collectors.joining(",", "[", "]"));
        chart.getElement().setAttribute("data-days", String.valueOf(month.days().size()));
        chart.getElement().executeJs("window.sliceTraffic.show(this, $0, $1)", month.month(), days);
    }

    private static String json(DayTraffic day) {
        return String.format(Locale.ROOT, "{\"day\":\"%s\",\"out\":%.3f,\"in\":%.3f}", day.day(), day.txBytes() / 1e9, day.rxBytes() / 1e9);
    }

    /** Billing's GB, two decimals. */
    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}
