package dev.slice.report.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.report.ReportService;
import dev.slice.report.ReportStatus;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator starts a quick benchmark run from the Reports view on the real runc backend, watches its progress,
 * reads the finished report's table, charts and what it means, downloads the CSV of every sample, and finds the
 * measured fit in the plan and node views. No guest of the run is left.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportsBrowserTest {
    private static final List<String> CHARTS = List.of("chart-overhead", "chart-density", "chart-memory", "chart-boot");

    @Autowired PanelFixture fixture;
    @Autowired ReportService reports;
    @Autowired DriverRegistry registry;
    @Autowired dev.slice.report.ReportRepository repository;
    @Autowired dev.slice.job.JobQueue jobs;
    @Autowired dev.slice.node.NodeService nodes;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @Autowired org.springframework.transaction.PlatformTransactionManager transactions;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;

    /** A finished run of the node written as a run writes its rows, to compare the new one with. */
    private long earlier;

    @BeforeAll
    void signIn() {
        earlier = EarlierRun.write(repository, jobs, jdbc, transactions, nodes.findByName("local").orElseThrow().id(), fixture.operator());
        assertThat(registry.driver(BackendKind.OCI)).as("runc must be available: %s", registry.status(BackendKind.OCI).detail()).isPresent();
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
    }

    @AfterAll
    void close() {
        chromium.close();
    }

    @Test
    void anOperatorRunsAQuickReportOnRuncReadsItAndDownloadsTheSamples() {
        pages.open("/reports");
        pages.waitFor(d -> d.findElement(By.id("report-start")));
        assertThat(pages.text("report-backends")).contains("oci");
        chromium.screenshot("reports-start");
        pages.click("report-start");

        String url = pages.waitFor(d -> d.getCurrentUrl().contains("/reports/run/") ? d.getCurrentUrl() : null);
        long runId = Long.parseLong(url.substring(url.lastIndexOf('/') + 1));
        // Live progress: the job's steps appear and the first ones are done while the run goes on.
        pages.waitFor(d -> d.findElements(By.cssSelector("#job-steps li[data-status=done]")).isEmpty() ? null : true, Duration.ofMinutes(2));
        assertThat(pages.text("report-status")).containsAnyOf("running", "succeeded");
        chromium.screenshot("reports-progress");

        pages.waitFor(d -> pages.text("report-status").contains("succeeded") ? true : null, Duration.ofMinutes(4));
        assertThat(reports.get(fixture.operator(), runId).status()).isEqualTo(ReportStatus.SUCCEEDED);
        // The run ends inside the job's last step; the page follows the job until that step is done as well.
        JavascriptExecutor page = (JavascriptExecutor) chromium.driver();
        String stepsScript = "return Array.from(document.querySelectorAll('#job-steps li')).map(li => li.id + '=' + li.dataset.status).join(' ');";
        try {
            pages.waitFor(d -> {
                String steps = String.valueOf(page.executeScript(stepsScript));
                return !steps.isBlank() && steps.split(" ").length >= 6 && !steps.matches(".*=(?!done)\\S*.*") ? true : null;
            });
        } catch (RuntimeException e) {
            throw new AssertionError("the job's steps as the page shows them: " + page.executeScript(stepsScript), e);
        }

        String ratios = pages.waitFor(d -> d.findElement(By.id("report-ratios"))).getText();
        assertThat(ratios).contains("Bare metal", "OCI container", "integer CPU throughput", "null system call", "Geometric mean");
        assertThat(ratios).containsPattern("integer CPU throughput 1\\.00 \\d\\.\\d\\d \\[");
        assertThat(pages.text("report-meaning")).contains("OCI container runs at").contains("the densest backend on local is OCI container");
        assertThat(pages.text("report-claims")).contains("OS-level virtualization runs within a few percent of bare metal");
        assertThat(pages.text("report-host")).contains("Kernel").contains("OCI container");

        JavascriptExecutor js = (JavascriptExecutor) chromium.driver();
        for (String chart : CHARTS) {
            Object points;
            try {
                points = pages.waitFor(d -> {
                    Object n = js.executeScript("const c = document.getElementById(arguments[0]); const chart = c && window.Chart && Chart.getChart(c);"
                            + "if (!chart) return null; return chart.data.datasets.reduce((sum, ds) => sum + ds.data.filter(v => v != null).length, 0);", chart);
                    return n != null && ((Number) n).longValue() > 0 ? n : null;
                });
            } catch (RuntimeException e) {
                throw new AssertionError(chart + " has no data; the chart's datasets: " + js.executeScript(
                        "const c = document.getElementById(arguments[0]); const chart = c && window.Chart && Chart.getChart(c);"
                                + "return c ? (chart ? JSON.stringify(chart.data.datasets.map(ds => ds.data)) : 'no chart') : 'no canvas'"
                                + " + ' Chart=' + typeof window.Chart + ' sliceReport=' + typeof window.sliceReport + ' host='"
                                + " + (document.getElementById('report-charts') ? document.getElementById('report-charts').outerHTML.slice(0, 300) : 'none')"
                                + " + ' scripts=' + Array.from(document.scripts).map(s => s.src).filter(s => s).join(',');", chart), e);
            }
            assertThat(((Number) points).longValue()).as(chart).isPositive();
        }
        chromium.screenshot("reports-finished");

        String href = chromium.driver().findElement(By.id("download-csv")).getDomAttribute("href");
        assertThat(chromium.driver().findElement(By.id("download-csv")).getDomAttribute("download")).isEqualTo("report-" + runId + "-samples.csv");
        String csv = String.valueOf(((JavascriptExecutor) chromium.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0], {credentials: 'same-origin'})"
                        + ".then(r => r.text()).then(done, e => done('failed: ' + e));", href));
        List<String> lines = csv.lines().toList();
        assertThat(lines.getFirst()).startsWith("run,target,round,warm_up,metric,value,unit");
        assertThat(lines).hasSize(reports.samples(fixture.operator(), runId).size() + 1);
        assertThat(lines).anyMatch(l -> l.startsWith(runId + ",bare-metal,1,false,cpu_int,"));
        assertThat(lines).anyMatch(l -> l.startsWith(runId + ",oci,1,false,cpu_int,"));

        // The run left no guest behind.
        List<GuestInfo> left = registry.driver(BackendKind.OCI).orElseThrow().list().stream()
                .filter(g -> g.id().value().contains("-bench" + runId + "-")).toList();
        assertThat(left).isEmpty();

        // The plan editor and the node view now show how many guests of each plan fit, from this report.
        pages.open("/nodes");
        String fits = pages.waitFor(d -> d.findElement(By.id("fits-local"))).getText();
        assertThat(fits).contains("oci (run #" + runId + ")").doesNotContain(GuestFits.NO_REPORT);
        pages.open("/plans");
        pages.waitFor(d -> pages.gridCells("plans").stream().anyMatch(c -> c.startsWith("local: oci ")) ? true : null);
        chromium.screenshot("reports-plan-fits");

        // Two runs side by side: this one and an earlier one of the same node.
        pages.open("/reports");
        pages.click("compare-runs");
        pages.waitFor(d -> d.getCurrentUrl().contains("/reports/compare/" + earlier + "/" + runId) ? true : null);
        String compared = pages.text("compare-ratios");
        assertThat(compared).contains("oci", "cpu_int", "#" + earlier, "#" + runId);
        assertThat(pages.text("compare-backends")).contains("OCI container");
        chromium.screenshot("reports-compare");
    }

    /** Failed boots have no boot time; the report still counts them per burst, with the driver's reason. */
    @Test
    void aReportCountsEachBurstsFailedBootsWithTheirReason() {
        String reason = "UML guest did not start within PT30S";
        for (int i = 0; i < 4; i++) {
            String guest = "earlier-" + earlier + "-b4-" + i;
            repository.planGuest(earlier, "oci", guest, "density", 4);
            if (i == 0) repository.guestReady(guest, 800.0);
            else repository.guestFailed(guest, reason);
        }
        pages.open("/reports/run/" + earlier);
        String bursts = pages.waitFor(d -> d.findElement(By.id("report-bursts"))).getText();
        assertThat(bursts).contains("Booted at once", "Failed").contains("4 started, 1 booted, 3 failed: " + reason);
        chromium.screenshot("reports-failed-boots");
    }

    /** A run whose request named no reserve: its fit keeps the node's, and the density table says so. */
    @Test
    void theDensityTableNamesTheReserveTheFitKept() {
        java.time.Instant now = java.time.Instant.now();
        jdbc.sql("update report_run set reserve_requested = false where id = ?").param(earlier).update();
        repository.saveDensity(earlier, new dev.slice.report.ReportRepository.DensityPoint("oci", 0, 20_000, null, null, null, null, null, now));
        repository.saveDensity(earlier, new dev.slice.report.ReportRepository.DensityPoint("oci", 1, 19_990, 10.0, 3.0, 1.0, 100.0,
                "safety_cap", now));
        pages.open("/reports/run/" + earlier);
        String density = pages.waitFor(d -> d.findElement(By.id("report-density"))).getText();
        assertThat(density).contains("Reserve kept").contains("the node's: ");
    }
}
