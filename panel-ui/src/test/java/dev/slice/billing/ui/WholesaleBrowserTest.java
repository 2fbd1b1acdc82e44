package dev.slice.billing.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.billing.BillingService;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The wholesale screen: the operator chooses a reseller and sets a plan's wholesale price (a bad amount is refused beside
 * the field); the reseller sees its plans' retail and wholesale prices and the margin, without the form.
 */
@PanelAppTest
@Timeout(300)
class WholesaleBrowserTest {
    @Autowired PanelFixture fixture;
    @Autowired PlanService plans;
    @Autowired BillingService billing;
    @LocalServerPort int port;

    @Test
    void theOperatorSetsAResellersWholesalePriceAndTheResellerSeesItsCostsAndMargin() {
        Actor reseller = fixture.reseller("whole");
        Plan plan = plans.create(reseller, new PlanRequest("resale-small", "oci", 1, 256, 1024, 0, 6720));
        String base = "http://localhost:" + port;

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            chooseReseller(pages, reseller.username());
            pages.waitForGridCell("wholesale-plans", "resale-small");
            assertThat(pages.gridCells("wholesale-plans")).contains("67.20 EUR", "not set");

            pages.choose("wholesale-plan", "resale-small");
            pages.type("wholesale-amount", "-1.00");
            pages.click("wholesale-set");
            pages.waitFor(d -> pages.fieldError("wholesale-amount").isEmpty() ? null : true);
            assertThat(pages.fieldError("wholesale-amount")).contains("negative");
            pages.type("wholesale-amount", "40.00");
            pages.click("wholesale-set");
            pages.waitForGridCell("wholesale-plans", "40.00 EUR");
            assertThat(pages.gridCells("wholesale-plans")).contains("67.20 EUR", "27.20 EUR").doesNotContain("not set");
            assertThat(billing.planPrices(fixture.operator(), reseller.accountId()).getFirst().wholesale().minor()).isEqualTo(4000);
            // The price per GB over the allowance: a bad one beside its field, then saved and shown.
            pages.choose("wholesale-plan", "resale-small");
            pages.type("wholesale-traffic", "-0.05");
            pages.click("wholesale-set");
            pages.waitFor(d -> pages.fieldError("wholesale-traffic").isEmpty() ? null : true);
            assertThat(pages.fieldError("wholesale-traffic")).contains("negative");
            pages.type("wholesale-traffic", "0.05");
            pages.click("wholesale-set");
            pages.waitForGridCell("wholesale-plans", "0.05 EUR");
            assertThat(billing.planPrices(fixture.operator(), reseller.accountId()).getFirst().wholesalePerGb().minor()).isEqualTo(5);
            assertThat(billing.planPrices(fixture.operator(), reseller.accountId()).getFirst().wholesale().minor())
                    .as("the price a month stays").isEqualTo(4000);
            chromium.screenshot("wholesale-operator");
        }

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(reseller.username(), PanelFixture.PASSWORD);
            pages.open("/wholesale");
            pages.waitForGridCell("wholesale-plans", "resale-small");
            assertThat(pages.gridCells("wholesale-plans")).contains("67.20 EUR", "40.00 EUR", "27.20 EUR");
            assertThat(chromium.driver().findElements(By.id("wholesale-set")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
            assertThat(plan.id()).isEqualTo(billing.planPrices(reseller, reseller.accountId()).getFirst().planId());
            chromium.screenshot("wholesale-reseller");
        }
    }

    /** Opens the wholesale screen and picks the reseller in its combo box. */
    static void chooseReseller(PanelPages pages, String username) {
        pages.open("/wholesale");
        WebElement box = pages.waitFor(d -> d.findElement(By.id("wholesale-reseller")));
        box.findElement(By.cssSelector("input")).sendKeys(username);
        pages.waitFor(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                .filter(e -> e.getText().strip().equals(username)).findFirst().orElse(null)).click();
        pages.waitForVaadin();
    }
}
