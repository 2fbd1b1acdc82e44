package dev.slice.billing.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.slice.account.Actor;
import dev.slice.billing.BillingService;
import dev.slice.billing.Invoice;
import dev.slice.billing.Invoicing;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.YearMonth;
import java.util.Base64;
import java.util.Map;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Billing view in a real browser: a customer sees a charge, the balance and an invoice, and downloads the invoice's
 * PDF; the payment form is the provider's only, and the operator records a payment and the customer's invoice details
 * through it.
 */
@PanelAppTest
class BillingBrowserTest {
    @Autowired PanelFixture fixture;
    @Autowired BillingService billing;
    @Autowired Invoicing invoicing;
    @LocalServerPort int port;

    @Test
    void aCustomerSeesAChargeAndAnInvoiceAndTheOperatorRecordsAPayment() throws Exception {
        Actor operator = fixture.operator();
        Actor customer = fixture.customer("billy");
        billing.record(operator, customer.accountId(), new BillingService.EntryRequest("charge", "7.50", "setup fee", null));
        Invoice invoice = invoicing.issue(customer.accountId(), YearMonth.now(ZoneOffset.UTC)).orElseThrow();
        String base = "http://localhost:" + port;

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(customer.username(), PanelFixture.PASSWORD);
            pages.open("/billing");
            pages.waitForGridCell("ledger", "setup fee");
            assertThat(pages.gridCells("ledger")).contains("charge", "-7.50 EUR");
            assertThat(pages.text("billing-balance")).isEqualTo("-7.50 EUR");
            pages.waitForGridCell("invoices", invoice.numberText());
            assertThat(pages.gridCells("invoices")).contains("7.50 EUR");
            assertThat(chromium.driver().findElements(By.id("payment-record")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
            assertThat(chromium.driver().findElements(By.id("profile-tax-rate")).stream().noneMatch(WebElement::isDisplayed)).isTrue();
            assertThat(chromium.driver().findElement(By.id("profile-legal-name")).isDisplayed()).isTrue();
            chromium.screenshot("billing-customer");

            // The PDF link, fetched by the page itself: the browser's own cookies, as a click on it sends them.
            WebElement link = chromium.driver().findElement(By.id("invoice-pdf-" + invoice.id()));
            @SuppressWarnings("unchecked")
            var fetched = (Map<String, Object>) chromium.driver().executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    fetch(arguments[0], {credentials: 'same-origin'})
                        .then(async r => {
                            const bytes = new Uint8Array(await r.arrayBuffer());
                            let text = '';
                            for (const b of bytes) text += String.fromCharCode(b);
                            done({status: r.status, body: btoa(text)});
                        })
                        .catch(e => done({status: -1, body: String(e)}));
                    """, link.getDomProperty("href"));
            assertThat(((Number) fetched.get("status")).intValue()).as("GET %s", link.getDomProperty("href")).isEqualTo(200);
            byte[] pdfBytes = Base64.getDecoder().decode((String) fetched.get("body"));
            PdfReader reader = new PdfReader(pdfBytes);
            assertThat(new PdfTextExtractor(reader).getTextFromPage(1)).contains("Invoice " + invoice.numberText(), "setup fee", "7.50 EUR");
            reader.close();
        }

        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), base);
            pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            pages.open("/billing");
            WebElement account = pages.waitFor(d -> d.findElement(By.id("billing-account")));
            WebElement input = account.findElement(By.cssSelector("input"));
            input.sendKeys(customer.username());
            WebElement item = pages.waitFor(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                    .filter(e -> e.getText().strip().startsWith(customer.username())).findFirst().orElse(null));
            item.click();
            pages.waitForVaadin();
            pages.waitForGridCell("ledger", "setup fee");

            pages.type("payment-amount", "7.505");
            pages.click("payment-record");
            pages.waitFor(d -> pages.fieldError("payment-amount").isEmpty() ? null : true);
            assertThat(pages.fieldError("payment-amount")).contains("at most 2 decimals");

            pages.type("payment-amount", "20.00");
            pages.type("payment-reason", "bank transfer");
            pages.click("payment-record");
            pages.waitForGridCell("ledger", "bank transfer");
            pages.waitFor(d -> pages.text("billing-balance").equals("12.50 EUR") ? true : null);
            chromium.screenshot("billing-operator");

            // The customer's invoice details, with its tax rate and terms (the provider's to set).
            pages.type("profile-legal-name", "Billy Bob Ltd");
            pages.type("profile-tax-id", "GB123");
            pages.type("profile-tax-rate", "2000");
            pages.click("profile-save");
            pages.waitFor(d -> billing.profile(operator, customer.accountId()).legalName().equals("Billy Bob Ltd") ? true : null);
            assertThat(billing.profile(operator, customer.accountId()).taxRateBp()).isEqualTo(2000);
        }
        assertThat(billing.balance(operator, customer.accountId()).minor()).isEqualTo(1250);
    }

    @Test
    void theOperatorInvoicesNowAndRefundsPartOfTheInvoiceWithACreditNote() throws Exception {
        Actor operator = fixture.operator();
        Actor customer = fixture.customer("cleo");
        billing.record(operator, customer.accountId(), new BillingService.EntryRequest("charge", "9.00", "migration help", null));
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            pages.open("/billing");
            WebElement account = pages.waitFor(d -> d.findElement(By.id("billing-account")));
            account.findElement(By.cssSelector("input")).sendKeys(customer.username());
            pages.waitFor(d -> d.findElements(By.cssSelector("vaadin-combo-box-item")).stream()
                    .filter(e -> e.getText().strip().startsWith(customer.username())).findFirst().orElse(null)).click();
            pages.waitForVaadin();
            pages.waitForGridCell("ledger", "migration help");

            pages.click("invoice-now");
            pages.waitForGridCell("invoices", "9.00 EUR");
            Invoice invoice = billing.invoices(operator, customer.accountId(), 0, 10).getFirst();
            pages.choose("refund-invoice", invoice.numberText() + " (9.00 EUR)");
            pages.type("refund-amount", "9.01");
            pages.type("refund-reason", "goodwill");
            pages.click("refund-record");
            pages.waitFor(d -> pages.fieldError("refund-amount").isEmpty() ? null : true);
            assertThat(pages.fieldError("refund-amount")).contains("9.00 EUR of invoice");
            long before = billing.balance(operator, customer.accountId()).minor();
            pages.type("refund-amount", "4.00");
            pages.click("refund-record");
            pages.waitForGridCell("credit-notes", "goodwill");
            assertThat(pages.gridCells("credit-notes")).contains("4.00 EUR").anyMatch(c -> c.startsWith("CN-"));
            assertThat(billing.balance(operator, customer.accountId()).minor()).as("credited").isEqualTo(before + 400);
            // The balance shown after the refund: the element's own text (not the visible text, empty when scrolled away).
            String credited = dev.slice.billing.Money.of(before + 400, java.util.Currency.getInstance("EUR")).toString();
            pages.waitFor(d -> pages.content("billing-balance").equals(credited) ? true : null, java.time.Duration.ofSeconds(20));
        }
    }
}
