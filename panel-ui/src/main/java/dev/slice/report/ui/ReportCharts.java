package dev.slice.report.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;

/**
 * The report's four charts, drawn by {@code report-assets/slice-report-charts.js} with Chart.js (the webjar the server
 * page's usage chart loads too) from the JSON {@link ReportChartData} makes. Each chart's canvas gets an id
 * ({@code chart-overhead}, {@code chart-density}, {@code chart-memory}, {@code chart-boot}).
 */
class ReportCharts extends Div {
    private final String data;

    ReportCharts(String data) {
        this.data = data;
        setId("report-charts");
        addClassName("slice-report-charts");
        setWidthFull();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        event.getUI().getPage().addJavaScript("webjars/chart.js/4.5.1/dist/chart.umd.min.js");
        event.getUI().getPage().addJavaScript("report-assets/slice-report-charts.js");
        // The script may still be loading: wait for it (up to 5 s) rather than assume the order of arrival.
        getElement().executeJs("const host = this, data = JSON.parse($0); let tries = 0;"
                + "const go = () => window.sliceReport ? window.sliceReport.draw(host, data) : (tries++ < 100 ? setTimeout(go, 50) : null);"
                + "go();", data);
    }
}
