package dev.slice.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.job.JobQueue;
import dev.slice.node.NodeService;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.report.ReportRepository;
import dev.slice.report.ui.EarlierRun;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Issue 12, "It must fit": every view, opened as the role that uses it, at 1280x900 (a laptop, the menu open) and at
 * 390x844 (a phone): no sideways scrolling of the page, of the content area or inside any grid, and its key buttons
 * (Order, Grant, ...) and columns (Error, Detail) inside the window. Then the storefront's cards, dark mode after the
 * browser and the toggle, and times in the viewer's zone. No guests: none of this needs a server to run.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FitBrowserTest {

    /** Whatever scrolls sideways: the document, the app layout's content, any grid's table, or a button or header past the edge. */
    private static final String OVERFLOW = """
            const w = window.innerWidth, found = [];
            const doc = document.scrollingElement;
            if (doc.scrollWidth > w) found.push('page ' + doc.scrollWidth + ' > ' + w);
            const app = document.querySelector('vaadin-app-layout');
            const content = app && app.shadowRoot && app.shadowRoot.querySelector('[part~=content]');
            if (content && content.scrollWidth > content.clientWidth + 1) found.push('content ' + content.scrollWidth + ' > ' + content.clientWidth);
            for (const g of document.querySelectorAll('vaadin-grid')) {
              const t = g.shadowRoot && g.shadowRoot.querySelector('#table');
              if (t && t.clientWidth > 0 && t.scrollWidth > t.clientWidth + 1) found.push('grid ' + (g.id || '?') + ' ' + t.scrollWidth + ' > ' + t.clientWidth);
            }
            const drawer = app && app.querySelector('[slot=drawer]');
            for (const b of document.querySelectorAll('vaadin-button, vaadin-grid-cell-content')) {
              if (drawer && drawer.contains(b)) continue;
              const r = b.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              if (r.right > w + 0.5 || r.left < -0.5) found.push((b.id || b.textContent.trim().slice(0, 30)) + ' at ' + Math.round(r.left) + '..' + Math.round(r.right));
            }
            return found;""";

    /** Whether the element is wholly inside the window sideways (it may be below the fold: the page scrolls down). */
    private static final String INSIDE = """
            const r = arguments[0].getBoundingClientRect();
            return r.width > 0 && r.left >= -0.5 && r.right <= window.innerWidth + 0.5;""";

    /** What each kind's sentence on its card must say, in the words a customer knows. */
    private static final Map<BackendKind, String> EXPLAINED = Map.of(BackendKind.OCI, "container", BackendKind.QEMU, "full virtual machine",
            BackendKind.XEN, "paravirtualised", BackendKind.UML, "paravirtualised", BackendKind.EMULATOR, "emulated RISC-V");

    private record Size(String name, int width, int height) {}

    private static final List<Size> SIZES = List.of(new Size("laptop", 1280, 900), new Size("phone", 390, 844));

    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired JdbcClient jdbc;
    @Autowired NodeService nodes;
    @Autowired ReportRepository reportRows;
    @Autowired JobQueue jobQueue;
    @Autowired PlatformTransactionManager transactions;
    @Autowired AuditLog audit;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    /** Every view is looked at before the test fails, so that one run names everything that does not fit. */
    private final List<String> problems = new java.util.ArrayList<>();
    private Actor customer;
    private Actor reseller;

    @BeforeAll
    void accountsOfEveryRole() {
        customer = fixture.customer("fitc");
        String resellerName = "fitr-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        reseller = accounts.create(fixture.operator(), new NewAccount(Role.RESELLER, resellerName, "Fit Reseller Ltd", null,
                PanelFixture.PASSWORD, null)).asActor();
        plans.grant(fixture.operator(), new CapacityGrant(reseller.accountId(), 2, 2048, 20480, 10, Set.of(BackendKind.OCI.id())));
        chromium = new HeadlessChromium();
    }

    @AfterAll
    void closeBrowser() {
        if (chromium != null) chromium.close();
    }

    @Test
    void everyViewFitsALaptopAndAPhone() {
        problems.clear();
        Plan plan = fixture.smallContainerPlan(customer);
        signedIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD, pages -> {
            for (Size size : SIZES) {
                fits(pages, size, "/nodes", "operator-nodes", "overcommit-local", "placement-local");
                assertColumn(pages, "backends-local", "Detail (why missing / what it uses)");
                // The list is lazy and the suite's other classes add accounts: the reseller's row is found by its name.
                fits(pages, size, "/accounts", "operator-accounts", opened -> opened.type("accounts-search", reseller.username()),
                        "new-customer", "new-reseller", "grant-" + reseller.username(), "manage-" + reseller.username());
                fits(pages, size, "/jobs", "operator-jobs");
                assertColumn(pages, "jobs", "Error");
                fits(pages, size, "/audit", "operator-audit");
                if (size.width() >= 700) assertColumn(pages, "audit", "What happened");
                fits(pages, size, "/plans", "operator-plans", "new-plan");
                fits(pages, size, "/reports", "operator-reports", "report-start", "compare-runs");
                fits(pages, size, "/billing", "operator-billing");
                fits(pages, size, "/tokens", "operator-tokens");
                fits(pages, size, "/security", "operator-security");
                fits(pages, size, "/password", "operator-password");
            }
        });
        signedIn(reseller.username(), PanelFixture.PASSWORD, pages -> {
            for (Size size : SIZES) {
                fits(pages, size, "/plans", "reseller-plans", "new-plan");
                fits(pages, size, "/accounts", "reseller-accounts", "new-customer");
                fits(pages, size, "/billing", "reseller-billing");
            }
        });
        signedIn(customer.username(), PanelFixture.PASSWORD, pages -> {
            for (Size size : SIZES) {
                fits(pages, size, "/catalogue", "customer-catalogue", "order-plan-" + plan.id());
                fits(pages, size, "/order/" + plan.id(), "customer-order", "order-submit");
                fits(pages, size, "/billing", "customer-billing");
                fits(pages, size, "/tokens", "customer-tokens");
            }
        });
        assertThat(problems).isEmpty();
    }

    /** The views that need a server: the list, the server's page with its console, its order's job; the wholesale screen. */
    @Test
    void theServerViewsFitALaptopAndAPhone() {
        problems.clear();
        long serverId = fixture.runningContainer(customer, "fit1.example.com", "Fit-First-Pass-11");
        try {
            long orderJob = jdbc.sql("select min(id) from job where server_id = ?").param(serverId).query(Long.class).single();
            signedIn(customer.username(), PanelFixture.PASSWORD, pages -> {
                for (Size size : SIZES) {
                    fits(pages, size, "/servers", "customer-servers", "servers-filters");
                    fits(pages, size, "/server/" + serverId, "customer-server", "server-reinstall", "console-" + serverId);
                    fits(pages, size, "/jobs/job/" + orderJob, "customer-job");
                }
            });
            signedIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD, pages -> {
                for (Size size : SIZES) {
                    fits(pages, size, "/servers", "operator-servers", "servers-filters");
                    fits(pages, size, "/wholesale", "operator-wholesale", "wholesale-reseller");
                }
            });
            assertThat(problems).isEmpty();
        } finally {
            fixture.deleteAndWait(serverId);
        }
    }

    /** A finished run's report (tables, charts, host facts) and two runs compared, as the operator reads them. */
    @Test
    void theReportPagesFitALaptopAndAPhone() {
        problems.clear();
        long node = nodes.findByName("local").orElseThrow().id();
        long first = EarlierRun.write(reportRows, jobQueue, jdbc, transactions, node, fixture.operator());
        long second = EarlierRun.write(reportRows, jobQueue, jdbc, transactions, node, fixture.operator());
        signedIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD, pages -> {
            for (Size size : SIZES) {
                fits(pages, size, "/reports/run/" + second, "operator-report", "report-status", "report-meaning", "report-claims",
                        "report-ratios", "report-host", "report-figures", "download-csv", "report-print", "chart-overhead");
                fits(pages, size, "/reports/compare/" + first + "/" + second, "operator-compare", "compare-backends", "compare-ratios");
            }
        });
        assertThat(problems).isEmpty();
    }

    /**
     * On a phone the audit log shows one card per entry: when, who and the action each on the page, not cut off, in
     * readable type, for the newest entries the log holds.
     */
    @Test
    void theAuditLogShowsWhoActionAndTimeOnAPhone() {
        signedIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD, pages -> {
            viewport(390, 844);
            pages.open("/audit");
            pages.waitFor(d -> d.findElements(By.cssSelector("#audit .slice-audit-card")).isEmpty() ? null : true);
            pages.waitForVaadin();
            @SuppressWarnings("unchecked")
            Map<String, Object> card = (Map<String, Object>) js("""
                    const card = document.querySelector('#audit .slice-audit-card'), w = window.innerWidth, parts = {};
                    for (const name of ['when', 'who', 'action']) {
                      const e = card.querySelector('.slice-audit-' + name), r = e.getBoundingClientRect();
                      const cell = e.closest('vaadin-grid-cell-content').getBoundingClientRect();
                      parts[name] = {text: e.textContent.trim(), inside: r.width > 0 && r.left >= -0.5 && r.right <= w + 0.5,
                        whole: e.scrollWidth <= e.clientWidth + 1 && r.left >= cell.left - 0.5 && r.right <= cell.right + 0.5
                          && r.bottom <= cell.bottom + 0.5,
                        size: parseFloat(getComputedStyle(e).fontSize)};
                    }
                    return parts;""");
            chromium.screenshot("fit-audit-cards-phone");
            List<AuditEntry> newest = audit.page(fixture.operator(), java.util.Optional.empty(), AuditLog.NEWEST_FIRST, 0, 5);
            for (String part : List.of("when", "who", "action")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> shown = (Map<String, Object>) card.get(part);
                assertThat(shown.get("inside")).as(part + " inside the window: " + shown).isEqualTo(true);
                assertThat(shown.get("whole")).as(part + " not cut off: " + shown).isEqualTo(true);
                assertThat(((Number) shown.get("size")).doubleValue()).as(part + " type size").isGreaterThanOrEqualTo(12);
            }
            assertThat(String.valueOf(((Map<?, ?>) card.get("when")).get("text"))).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} \\S+");
            String who = String.valueOf(((Map<?, ?>) card.get("who")).get("text"));
            String action = String.valueOf(((Map<?, ?>) card.get("action")).get("text"));
            assertThat(newest).as("the first card is one of the newest entries").anyMatch(e -> e.actorName().equals(who) && e.action().equals(action));
            assertThat((List<?>) js(OVERFLOW)).isEmpty();
            // Back on a laptop, the columns return and the cards go.
            viewport(1280, 900);
            pages.waitForGridCell("audit", "Who");
            assertThat(pages.gridCells("audit")).contains("Action", "When", "What happened");
            assertThat(chromium.driver().findElements(By.cssSelector("#audit .slice-audit-card"))).allMatch(c -> !c.isDisplayed());
        });
    }

    @Test
    void columnsFollowTheWindowWhenItIsResized() {
        signedIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD, pages -> {
            viewport(1600, 900);
            pages.open("/jobs");
            pages.waitForGridCell("jobs", "Attempts");
            // The same page, the window narrowed: the secondary columns go (Vaadin's resize event), the Error column stays.
            viewport(390, 844);
            pages.waitFor(d -> pages.gridCells("jobs").contains("Attempts") ? null : true);
            pages.waitFor(d -> ((List<?>) js(OVERFLOW)).isEmpty() ? true : null);
            assertThat(pages.gridCells("jobs")).contains("Error", "Status");
            viewport(1600, 900);
            pages.waitForGridCell("jobs", "Attempts");
        });
    }

    @Test
    void theCatalogueIsAStorefrontOfPlanCards() {
        List<Plan> catalogue = plans.catalogue(customer);
        signedIn(customer.username(), PanelFixture.PASSWORD, pages -> {
            viewport(1280, 900);
            pages.open("/catalogue");
            for (Plan plan : catalogue) {
                String card = pages.content("plan-card-" + plan.id());
                assertThat(card).contains(plan.name()).contains(plan.vcpus() + " vCPU").contains(" memory").contains(" disk")
                        .contains("bandwidth");
                assertThat(pages.content("plan-price-" + plan.id()))
                        .isEqualTo(dev.slice.display.Sizes.money(plan.monthlyPriceCents()) + " / month");
                assertThat(pages.content("plan-explained-" + plan.id())).containsIgnoringCase(EXPLAINED.get(plan.backendKind()));
                assertThat(pages.content("order-plan-" + plan.id())).isEqualTo("Order");
            }
            // The price is what a shopper reads first: larger than the plan's name.
            Plan first = catalogue.getFirst();
            double price = fontSize(By.cssSelector("#plan-price-" + first.id() + " .slice-plan-amount"));
            double name = fontSize(By.cssSelector("#plan-card-" + first.id() + " h3"));
            assertThat(price).isGreaterThan(name);
            // Cards side by side on a laptop, one above the other on a phone.
            assertThat(cardColumns()).isGreaterThan(1);
            viewport(390, 844);
            pages.open("/catalogue");
            assertThat(cardColumns()).isEqualTo(1);
            chromium.screenshot("fit-catalogue-phone");
            pages.click("order-plan-" + first.id());
            assertThat(pages.text("order-plan")).contains(first.vcpus() + " vCPU");
        });
    }

    @Test
    void darkModeFollowsTheBrowserAndTheToggleIsRemembered() {
        signedIn(customer.username(), PanelFixture.PASSWORD, pages -> {
            viewport(1280, 900);
            media("dark");
            pages.open("/tokens");
            assertThat(backgroundIsDark()).as("dark browser preference").isTrue();
            media("light");
            pages.open("/tokens");
            assertThat(backgroundIsDark()).as("light browser preference").isFalse();

            pages.click("color-scheme-toggle");
            pages.waitFor(d -> backgroundIsDark() ? true : null);
            assertThat(js("return document.documentElement.getAttribute('theme')")).isEqualTo("dark");
            pages.open("/billing");
            assertThat(backgroundIsDark()).as("the choice outlives the page").isTrue();
            chromium.screenshot("fit-dark-billing");
            pages.click("color-scheme-toggle");
            pages.waitFor(d -> backgroundIsDark() ? null : true);
            pages.open("/tokens");
            assertThat(backgroundIsDark()).isFalse();
        });
    }

    @Test
    void timesAreShownInTheViewersZoneWithTheZoneNamed() {
        Actor viewer = fixture.customer("fitz");
        tokens.create(viewer, "zone check");
        jdbc.sql("update api_token set created_at = ? where account_id = ?")
                .param(java.sql.Timestamp.from(Instant.parse("2026-07-01T12:00:00Z"))).param(viewer.accountId()).update();
        signedIn(viewer.username(), PanelFixture.PASSWORD, pages -> {
            viewport(1280, 900);
            zone("America/New_York");
            pages.open("/tokens");
            pages.waitForGridCell("tokens", "2026-07-01 08:00:00 EDT");
            zone("Asia/Tokyo");
            pages.open("/tokens");
            pages.waitForGridCell("tokens", "2026-07-01 21:00:00 JST");
        });
    }

    private void fits(PanelPages pages, Size size, String path, String screenshot, String... keyButtons) {
        fits(pages, size, path, screenshot, opened -> { }, keyButtons);
    }

    /** {@code then}: what the user does on the page before its key buttons are looked for (a search, for one row). */
    private void fits(PanelPages pages, Size size, String path, String screenshot, java.util.function.Consumer<PanelPages> then,
                      String... keyButtons) {
        viewport(size.width(), size.height());
        pages.open(path);
        pages.waitFor(d -> d.findElements(By.cssSelector(".slice-page")).isEmpty() ? null : true);
        then.accept(pages);
        for (String id : keyButtons) pages.waitFor(d -> d.findElement(By.id(id)));
        // Grids size their columns after the first rows arrive: give them a round trip.
        pages.waitForVaadin();
        @SuppressWarnings("unchecked")
        List<String> overflow = (List<String>) js(OVERFLOW);
        chromium.screenshot("fit-" + screenshot + "-" + size.name());
        for (String what : overflow) problems.add(path + " at " + size.width() + " px: " + what);
        for (String id : keyButtons) {
            if (!(Boolean) js(INSIDE, chromium.driver().findElement(By.id(id)))) problems.add(path + " at " + size.width() + " px: " + id + " outside");
        }
    }

    /** The grid shows a column with this header, wholly inside the window. */
    private void assertColumn(PanelPages pages, String gridId, String header) {
        var cell = pages.waitFor(d -> d.findElement(By.id(gridId)).findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(c -> c.getText().strip().equals(header)).findFirst().orElse(null));
        if (!(Boolean) js(INSIDE, cell)) problems.add("column " + header + " of " + gridId + " outside");
    }

    private void signedIn(String username, String password, java.util.function.Consumer<PanelPages> steps) {
        ChromeDriver driver = chromium.driver();
        driver.manage().deleteAllCookies();
        viewport(1280, 900);
        PanelPages pages = new PanelPages(driver, "http://localhost:" + port);
        pages.signIn(username, password);
        try {
            steps.accept(pages);
        } finally {
            js("try { localStorage.clear(); } catch (e) {}");
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            driver.manage().deleteAllCookies();
        }
    }

    private void viewport(int width, int height) {
        chromium.driver().executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    private void media(String scheme) {
        chromium.driver().executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    private void zone(String zoneId) {
        chromium.driver().executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zoneId));
    }

    /** The page's background (Lumo's base colour, resolved for the colour scheme in force) is darker than mid-grey. */
    private boolean backgroundIsDark() {
        Object luminance = js("""
                const c = getComputedStyle(document.documentElement).backgroundColor;
                const n = c.match(/[0-9.]+/g).map(Number), scale = c.startsWith('color(') ? 1 : 255;
                return (0.2126 * n[0] + 0.7152 * n[1] + 0.0722 * n[2]) / scale;""");
        return ((Number) luminance).doubleValue() < 0.5;
    }

    private double fontSize(By by) {
        return Double.parseDouble(String.valueOf(js("return parseFloat(getComputedStyle(arguments[0]).fontSize)",
                chromium.driver().findElement(by))));
    }

    private long cardColumns() {
        return ((Number) js("return getComputedStyle(document.getElementById('catalogue')).gridTemplateColumns.split(' ').length"))
                .longValue();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) chromium.driver()).executeScript(script, args);
    }
}
