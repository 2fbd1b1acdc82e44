package dev.slice.billing.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.billing.BillingRepository;
import dev.slice.billing.BillingService;
import dev.slice.billing.EntryKind;
import dev.slice.billing.Invoice;
import dev.slice.billing.LedgerEntry;
import dev.slice.billing.Metering;
import dev.slice.billing.Money;
import dev.slice.billing.ProviderEvents;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Selling end to end, with a real container: the operator sets the reseller's wholesale price, the reseller's customer
 * tops up through the payment provider's webhook and orders the reseller's plan, and its hours are metered; the reseller
 * invoices it and refunds part with a credit note; the customer sees the charge, the invoice, the credit note and the
 * balance after the refund, and the reseller its margin. The plan costs 67.20 a month (0.10 an hour), its wholesale
 * price 33.60 (0.05): a server ordered and deleted at once is charged the hour (or two, across an hour's turn) it held.
 */
@PanelAppTest
@Timeout(600)
class SellingBrowserTest {
    @Autowired PanelFixture fixture;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired BillingService billing;
    @Autowired Metering metering;
    @LocalServerPort int port;

    @Test
    void aResellerSetsPricesACustomerTopsUpOrdersAndLaterSeesTheChargeTheInvoiceAndTheRefund() throws Exception {
        Actor operator = fixture.operator();
        Actor reseller = fixture.reseller("seller");
        Actor customer = fixture.customerOf(reseller, "buyer");
        Plan plan = plans.create(reseller, new PlanRequest("sell-small", "oci", 1, 256, 1024, 0, 6720));
        String base = "http://localhost:" + port;

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            WholesaleBrowserTest.chooseReseller(pages, reseller.username());
            pages.choose("wholesale-plan", "sell-small");
            pages.type("wholesale-amount", "33.60");
            pages.click("wholesale-set");
            pages.waitForGridCell("wholesale-plans", "33.60 EUR");
        }

        // The customer tops up with the payment provider, whose signed webhook records the payment.
        byte[] event = ("{\"id\":\"evt-sell-" + customer.accountId() + "\",\"type\":\"payment.succeeded\",\"accountId\":"
                + customer.accountId() + ",\"amount\":\"20.00\",\"currency\":\"EUR\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> paid = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/billing/provider-events"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header(ProviderEvents.SIGNATURE_HEADER, ProviderEvents.sign(PanelAppTest.WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), event))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);

        // It orders the reseller's plan (the order form has its own tests), the guest is made, and it is deleted again.
        long serverId = orders.order(customer, new OrderRequest(plan.id(), "sell1", "debian-12", PanelFixture.PASSWORD, List.of(), null))
                .serverId();
        PanelFixture.waitUntil(Duration.ofMinutes(3), () -> servers.get(customer, serverId).activeJobId() == null, "sell1 provisioned");
        fixture.deleteAndWait(serverId);
        metering.runPass();
        List<LedgerEntry> charges = billing.ledger(customer, customer.accountId(), 0, 20).stream()
                .filter(e -> e.kind() == EntryKind.CHARGE).toList();
        assertThat(charges).hasSize(1);
        long hours = -charges.getFirst().amount().minor() / 10;
        assertThat(hours).isBetween(1L, 2L);
        assertThat(charges.getFirst().amount().minor()).isEqualTo(-10 * hours);
        Money charged = Money.of(10 * hours, charges.getFirst().amount().currency());
        Money refund = Money.of(5, charged.currency());

        // The reseller invoices its customer now and refunds part of it with a credit note.
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(reseller.username(), PanelFixture.PASSWORD);
            pages.open("/billing");
            WebElement account = pages.waitFor(d -> d.findElement(By.id("billing-account")));
            account.findElement(By.cssSelector("input")).sendKeys(customer.username());
            pages.waitFor(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                    .filter(e -> e.getText().strip().startsWith(customer.username())).findFirst().orElse(null)).click();
            pages.waitForVaadin();
            pages.click("invoice-now");
            pages.waitForGridCell("invoices", charged.toString());
            Invoice invoice = billing.invoices(reseller, customer.accountId(), 0, 10).getFirst();
            assertThat(invoice.issuerId()).isEqualTo(reseller.accountId());
            pages.choose("refund-invoice", invoice.numberText() + " (" + charged + ")");
            pages.type("refund-amount", refund.decimal());
            pages.type("refund-reason", "first hour on us");
            pages.click("refund-record");
            pages.waitForGridCell("credit-notes", "first hour on us");

            // Its margin report: what the customer paid, what the operator charged for the same hours, the difference.
            pages.open("/wholesale");
            String month = YearMonth.now(ZoneOffset.UTC).toString();
            pages.waitForGridCell("margins", month);
            Money wholesale = Money.of(5 * hours, charged.currency());
            assertThat(pages.gridCells("margins")).contains(charged.toString(), wholesale.toString(), charged.minus(wholesale).toString());
            assertThat(pages.gridCells("wholesale-plans")).contains("67.20 EUR", "33.60 EUR");
            chromium.screenshot("selling-reseller-margins");
        }

        // The customer sees the charge, the invoice, the credit note and what is left of the top-up after the refund.
        Money expected = Money.of(2000 - 10 * hours + 5, charged.currency());
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(customer.username(), PanelFixture.PASSWORD);
            pages.open("/billing");
            pages.waitFor(d -> pages.gridCells("ledger").stream().anyMatch(c -> c.startsWith("sell1") && c.contains("sell-small")) ? true : null);
            assertThat(pages.gridCells("ledger")).contains("payment", "20.00 EUR", charged.negate().toString(), refund.toString());
            Invoice invoice = billing.invoices(customer, customer.accountId(), 0, 10).getFirst();
            pages.waitForGridCell("invoices", invoice.numberText());
            assertThat(pages.gridCells("invoices")).contains(charged.toString());
            pages.waitForGridCell("credit-notes", "first hour on us");
            // The element's own text, waited for with a deadline (not Selenium's visible text, empty when scrolled away).
            pages.waitFor(d -> pages.content("billing-balance").equals(expected.toString()) ? true : null, Duration.ofSeconds(20));
            chromium.screenshot("selling-customer");
        }
        assertThat(billing.balance(operator, customer.accountId())).isEqualTo(expected);
        assertThat(billing.margins(reseller, reseller.accountId()).getFirst().margin().minor()).isEqualTo(5 * hours);
        BillingRepository.PlanPrices prices = billing.planPrices(reseller, reseller.accountId()).getFirst();
        assertThat(prices.wholesale().minor()).isEqualTo(3360);
    }
}
