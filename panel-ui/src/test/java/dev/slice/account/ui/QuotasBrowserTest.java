package dev.slice.account.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.PlanService;
import dev.slice.quota.CustomerLimits;
import dev.slice.quota.Quota;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Quotas in the panel (no guests): the operator sets a reseller's grant totals, the reseller a customer's limits; a value
 * out of bounds is shown beside its field and saves nothing.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotasBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired CustomerLimits limits;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;

    @BeforeAll
    void browser() {
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
    }

    @AfterAll
    void close() {
        chromium.close();
    }

    @Test
    void theOperatorSetsAResellersTotalsAndTheResellerACustomersLimits() {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        Actor reseller = accounts.create(fixture.operator(),
                new NewAccount(Role.RESELLER, "rsq-" + suffix, null, null, PanelFixture.PASSWORD, null)).asActor();
        plans.grant(fixture.operator(), new CapacityGrant(reseller.accountId(), 2, 2048, 20_480, 5, Set.of("oci")));
        Actor customer = accounts.create(reseller,
                new NewAccount(Role.CUSTOMER, "cuq-" + suffix, null, null, PanelFixture.PASSWORD, null)).asActor();

        pages.signIn(fixture.operator().username(), PanelAppTest.OPERATOR_PASSWORD);
        pages.open("/accounts");
        // As an operator with many accounts would: the list is paged, so find the reseller first.
        pages.type("accounts-search", reseller.username());
        pages.waitFor(d -> pages.gridCells("accounts").contains("customer") ? null : true); // only the reseller is left
        pages.waitForVaadin();
        pages.click("grant-" + reseller.username());
        pages.waitFor(d -> d.findElement(By.id("grant-total-memory")));
        // Only backends some node offers can be granted; the others are named beside the field with the probe's reason.
        WebElement backends = chromium.driver().findElement(By.id("grant-backends"));
        JavascriptExecutor js = (JavascriptExecutor) chromium.driver();
        assertThat(String.valueOf(js.executeScript(
                "return Array.from(arguments[0].querySelectorAll('vaadin-checkbox')).map(c => c.label).join(',')", backends)))
                .contains("oci").doesNotContain("xen");
        assertThat(String.valueOf(js.executeScript("return arguments[0].helperText", backends)))
                .contains("Not offered by any node: ").contains("xen: ");
        pages.type("grant-total-memory", "8192");
        pages.type("grant-total-ipv4", "-5");
        pages.click("grant-save");
        assertThat(pages.fieldError("grant-total-ipv4")).isEqualTo("Between 0 and 100,000 addresses");
        assertThat(plans.findGrant(reseller.accountId()).orElseThrow().maxMemoryMiB()).as("nothing saved").isNull();
        pages.type("grant-total-ipv4", "4");
        pages.type("grant-total-vcpus", "6");
        chromium.screenshot("grant-totals");
        pages.click("grant-save");
        pages.waitFor(d -> d.findElements(By.id("grant-dialog")).isEmpty() ? true : null);
        CapacityGrant grant = plans.findGrant(reseller.accountId()).orElseThrow();
        assertThat(grant.totals()).isEqualTo(new Quota(5, 6, 8192L, null, 4));
        assertThat(grant.maxVcpusPerPlan()).isEqualTo(2);
        pages.click("sign-out");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);

        pages.signIn(reseller.username(), PanelFixture.PASSWORD);
        pages.open("/accounts");
        pages.click("limits-" + customer.username());
        pages.type("limits-servers", "2");
        pages.type("limits-total-disk", "-1");
        pages.click("limits-save");
        assertThat(pages.fieldError("limits-total-disk")).startsWith("Between 0 and");
        assertThat(limits.of(reseller, customer.accountId())).as("nothing saved").isEqualTo(Quota.UNLIMITED);
        pages.type("limits-total-disk", "10240");
        pages.type("limits-total-memory", "1024");
        chromium.screenshot("customer-limits");
        pages.click("limits-save");
        pages.waitFor(d -> d.findElements(By.id("limits-dialog")).isEmpty() ? true : null);
        assertThat(limits.of(reseller, customer.accountId())).isEqualTo(new Quota(2, null, 1024L, 10_240L, null));

        // Opened again, the dialog shows what was saved.
        pages.click("limits-" + customer.username());
        assertThat(chromium.driver().findElement(By.id("limits-total-memory")).getDomProperty("value")).isEqualTo("1024");
        assertThat(chromium.driver().findElement(By.id("limits-total-vcpus")).getDomProperty("value")).isEmpty();
    }
}
