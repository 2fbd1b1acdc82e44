package dev.slice.plan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.backup.BackupFrequency;
import dev.slice.backup.BackupService;
import dev.slice.backup.ScheduleRule;
import dev.slice.plan.PlanService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reseller defines plans within the capacity the operator granted (a plan beyond it gets the message
 * beside the field), changes a price and the traffic allowance, retires a plan, adds a customer and sees its customers'
 * servers, and a server's page shows its traffic this month.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResellerBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired BackupService backups;
    @Autowired OrderService orders;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor reseller;
    private String planName;
    private final List<Long> servers = new ArrayList<>();

    @BeforeAll
    void resellerWithAGrant() {
        String name = "rs-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        reseller = accounts.create(fixture.operator(), new NewAccount(Role.RESELLER, name, null, null, PanelFixture.PASSWORD, null)).asActor();
        plans.grant(fixture.operator(), new CapacityGrant(reseller.accountId(), 2, 1024, 4096, 5, Set.of("oci")));
        planName = "tiny-" + name;
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(reseller.username(), PanelFixture.PASSWORD);
    }

    @AfterAll
    void cleanUp() {
        try {
            servers.forEach(fixture::deleteAndWait);
        } finally {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void aPlanBeyondTheGrantIsRefusedBesideTheFieldAndOneWithinItIsCreated() {
        pages.open("/plans");
        assertThat(chromium.driver().findElement(By.tagName("body")).getText()).contains("at most 2 vCPUs");
        pages.click("new-plan");
        // Only backends some node offers; the missing ones beside the field with their probe's reason (no CI host is a Xen dom0).
        assertThat(String.valueOf(((JavascriptExecutor) chromium.driver()).executeScript("return arguments[0].helperText",
                chromium.driver().findElement(By.id("plan-backend"))))).contains("Not offered by any node: ").contains("xen: ");
        // A plan no node could ever hold is said at once, with the largest node's figures.
        pages.type("plan-vcpus", "256");
        pages.type("plan-name", planName);
        String neverFits = pages.waitFor(d -> pages.content("plan-capacity").contains("the largest") ? pages.content("plan-capacity") : null);
        assertThat(neverFits)
                .startsWith("Customers cannot order this plan: no node offering oci can ever hold 256 vCPUs").contains(" MiB memory and ");
        pages.type("plan-vcpus", "4");
        pages.type("plan-memory", "512");
        pages.type("plan-disk", "2048");
        pages.click("plan-save");
        pages.waitFor(d -> pages.fieldError("plan-vcpus").isEmpty() ? null : true);
        assertThat(pages.content("plan-capacity")).as("4 vCPUs fit a node").isEmpty();
        chromium.screenshot("reseller-plan-beyond-grant");
        assertThat(pages.fieldError("plan-vcpus")).contains("at most 2 vCPUs");
        assertThat(plans.list(reseller)).isEmpty();

        pages.type("plan-vcpus", "1");
        pages.click("plan-save");
        pages.waitForGridCell("plans", planName);
        assertThat(pages.waitForNotice("Plan " + planName + " created")).isNotBlank();
        assertThat(plans.list(reseller)).extracting(Plan::name).containsExactly(planName);
    }

    @Test
    @Order(2)
    void theResellerChangesThePriceAndRetiresThePlan() {
        Plan plan = plans.list(reseller).getFirst();
        pages.click("edit-plan-" + plan.id());
        pages.type("plan-price", "7.50");
        pages.type("plan-traffic", "2000000");
        pages.click("plan-save");
        pages.waitFor(d -> pages.fieldError("plan-traffic").isEmpty() ? null : true);
        assertThat(pages.fieldError("plan-traffic")).contains("0 and 1,000,000 GB a month");
        pages.type("plan-traffic", "100");
        pages.type("plan-overage", "0.05");
        // The default backups of its new servers: a refused retention saves nothing of the plan either.
        pages.choose("plan-backup-frequency", "weekly");
        pages.type("plan-backup-retention", "0");
        pages.click("plan-save");
        pages.waitFor(d -> pages.fieldError("plan-backup-retention").isEmpty() ? null : true);
        assertThat(pages.fieldError("plan-backup-retention")).contains("between 1 and 100");
        assertThat(plans.get(reseller, plan.id()).monthlyPriceCents()).as("nothing saved").isEqualTo(plan.monthlyPriceCents());
        pages.type("plan-backup-retention", "4");
        pages.click("plan-save");
        pages.waitForGridCell("plans", "7.50 / month");
        assertThat(pages.waitForNotice("Plan " + planName + " saved")).isNotBlank();
        assertThat(backups.planDefault(reseller, plan.id())).contains(new ScheduleRule(BackupFrequency.WEEKLY, 4));
        pages.click("edit-plan-" + plan.id());
        assertThat(pages.waitFor(d -> d.findElement(By.id("plan-backup-retention"))).getDomProperty("value"))
                .as("the dialog shows the saved default").isEqualTo("4");
        pages.click("plan-cancel");
        assertThat(plans.get(reseller, plan.id()).monthlyPriceCents()).isEqualTo(750);
        assertThat(plans.get(reseller, plan.id()).trafficAllowanceGb()).isEqualTo(100);
        assertThat(plans.get(reseller, plan.id()).overagePerGbCents()).isEqualTo(5);

        pages.click("retire-plan-" + plan.id());
        pages.confirm();
        // A retired plan leaves the list of active ones; the filter shows it, and it can be offered again from there.
        pages.waitFor(d -> pages.gridCells("plans").contains(planName) ? null : true);
        assertThat(plans.get(reseller, plan.id()).active()).isFalse();
        pages.choose("plans-shown", "Retired plans");
        pages.waitForGridCell("plans", "retired");
        chromium.screenshot("reseller-plans");
        pages.click("reactivate-plan-" + plan.id());
        pages.waitForNotice("Plan " + planName + " is active again");
        pages.waitFor(d -> pages.gridCells("plans").contains(planName) ? null : true);
        assertThat(plans.get(reseller, plan.id()).active()).isTrue();
        pages.choose("plans-shown", "All plans");
        pages.waitForGridCell("plans", planName);
        assertThat(pages.gridCells("plans")).contains("active").doesNotContain("retired");
        plans.retire(reseller, plan.id()); // as the tests after this one expect it
    }

    @Test
    @Order(3)
    void theResellerAddsACustomerAndSeesItsServers() {
        String customerName = "dave-" + reseller.username();
        pages.open("/accounts");
        pages.click("new-customer");
        pages.type("account-username", customerName);
        pages.type("account-password", "short");
        pages.click("account-save");
        pages.waitFor(d -> pages.fieldError("account-password").isEmpty() ? null : true);
        assertThat(pages.fieldError("account-password")).contains("at least 10 characters");
        pages.type("account-password", PanelFixture.PASSWORD);
        pages.click("account-save");
        pages.waitForGridCell("accounts", customerName);
        chromium.screenshot("reseller-customers");

        Actor dave = accounts.findForLogin(customerName).orElseThrow().asActor();
        assertThat(dave.parentId()).isEqualTo(reseller.accountId());
        Plan basic = plans.create(reseller, new PlanRequest("basic-" + reseller.username(), "oci", 1, 256, 1024, 0, 200));
        long serverId = orders.order(dave, new OrderRequest(basic.id(), "dave1.example.com", "debian-12", "Dave-Server-Pass-3",
                List.of(), null)).serverId();
        servers.add(serverId);

        pages.open("/servers");
        pages.waitForGridCell("servers", "dave1.example.com");
        assertThat(pages.gridCells("servers")).contains(customerName);
        chromium.screenshot("reseller-servers");

        pages.open("/server/" + serverId);
        pages.waitFor(d -> d.findElement(By.id("traffic-figure")).getText().contains("Outbound") ? true : null);
        assertThat(chromium.driver().findElement(By.id("traffic-figure")).getText()).contains("(unmetered)");
        assertThat(chromium.driver().findElements(By.id("usage-history"))).as("the usage history's chart").hasSize(1);
        chromium.screenshot("server-traffic");

        // The reseller has no other oci plan: the resize dialog says so instead of offering an empty list.
        pages.waitFor(d -> pages.enabled("server-resize") ? true : null, java.time.Duration.ofMinutes(3));
        pages.click("server-resize");
        assertThat(pages.content("resize-no-plans")).startsWith("There is no other plan on the oci backend");
        assertThat(pages.enabled("resize-confirm")).isFalse();
    }

    @Test
    @Order(4)
    void theCustomersCatalogueShowsAPlanNoNodeCanTakeAsNotAvailable() {
        Actor dave = accounts.findForLogin("dave-" + reseller.username()).orElseThrow().asActor();
        Plan basic = plans.list(reseller).stream().filter(p -> p.name().startsWith("basic-") && p.active()).findFirst().orElseThrow();
        // The grant includes Xen, which no node offers: the plan can be made but not placed.
        plans.grant(fixture.operator(), new CapacityGrant(reseller.accountId(), 2, 1024, 4096, 5, Set.of("oci", "xen")));
        Plan xen = plans.create(reseller, new PlanRequest("xen-" + reseller.username(), "xen", 1, 256, 1024, 0, 300));
        chromium.driver().manage().deleteAllCookies();
        pages.signIn(dave.username(), PanelFixture.PASSWORD);
        pages.open("/catalogue");
        assertThat(pages.content("order-plan-" + xen.id())).isEqualTo("Not available right now");
        assertThat(pages.enabled("order-plan-" + xen.id())).isFalse();
        assertThat(pages.content("order-plan-" + basic.id())).isEqualTo("Order");
        assertThat(pages.enabled("order-plan-" + basic.id())).isTrue();
        chromium.screenshot("catalogue-unavailable-plan");
    }
}
