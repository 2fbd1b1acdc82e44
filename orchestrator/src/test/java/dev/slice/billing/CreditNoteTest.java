package dev.slice.billing;

import static dev.slice.testing.ApiHttp.body;
import static dev.slice.testing.ApiHttp.field;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Over real HTTP: an invoice on demand bills the unbilled charges now (the month's invoice later bills only the rest),
 * and refunds against an invoice credit the ledger and issue credit notes numbered per issuer in their own series, read
 * back from their PDF; only the customer's provider may do either, and never more than the invoice's total.
 */
@SliceSpringTest
@Timeout(60)
class CreditNoteTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired BillingService billing;
    @Autowired Invoicing invoicing;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;

    @Test
    void invoicesOnDemandAndCreditNotesForRefunds() throws Exception {
        at("2028-03-10T09:00:00Z");
        Actor operator = Tenants.operator(accounts);
        Actor reseller = Tenants.reseller(accounts, plans, "cnres");
        Actor kim = Tenants.customer(accounts, reseller, "kim");
        Actor lea = Tenants.customer(accounts, reseller, "lea");
        Actor own = Tenants.customer(accounts, operator, "opcust");
        ApiHttp http = new ApiHttp(port);
        String resellerToken = tokens.create(reseller, "billing").token();
        String kimToken = tokens.create(kim, "kim").token();
        String operatorToken = tokens.create(operator, "ops").token();

        assertThat(http.json(resellerToken, "POST", "/api/billing/accounts/" + kim.accountId() + "/invoices", null).statusCode())
                .as("nothing to bill").isEqualTo(409);
        billing.record(reseller, kim.accountId(), new EntryRequest("charge", "30.00", "migration service", null));
        billing.record(reseller, lea.accountId(), new EntryRequest("charge", "8.00", "backup space", null));
        billing.record(operator, own.accountId(), new EntryRequest("charge", "4.00", "support", null));
        at("2028-03-10T10:00:00Z");

        assertThat(http.json(kimToken, "POST", "/api/billing/accounts/" + kim.accountId() + "/invoices", null).statusCode())
                .as("a customer does not invoice itself").isEqualTo(403);
        HttpResponse<String> issued = http.json(resellerToken, "POST", "/api/billing/accounts/" + kim.accountId() + "/invoices", null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        JsonNode invoice = body(issued);
        assertThat(invoice.get("number").asString()).isEqualTo("000001");
        assertThat(invoice.get("total").asString()).isEqualTo("30.00");
        assertThat(invoice.get("periodStart").asString()).isEqualTo("2028-03-10");
        assertThat(http.json(resellerToken, "POST", "/api/billing/accounts/" + kim.accountId() + "/invoices", null).statusCode())
                .as("billed already").isEqualTo(409);
        long invoiceId = invoice.get("id").asLong();
        String refunds = "/api/billing/invoices/" + invoiceId + "/refunds";

        assertThat(http.json(kimToken, "POST", refunds, "{\"amount\":\"10.00\",\"reason\":\"outage\"}").statusCode()).isEqualTo(403);
        assertThat(field(http.json(resellerToken, "POST", refunds, "{\"amount\":\"-1\",\"reason\":\"outage\"}"))).isEqualTo("amount");
        assertThat(field(http.json(resellerToken, "POST", refunds, "{\"amount\":\"ten\",\"reason\":\"outage\"}"))).isEqualTo("amount");
        assertThat(field(http.json(resellerToken, "POST", refunds, "{\"amount\":\"10.00\"}"))).isEqualTo("reason");
        HttpResponse<String> first = http.json(resellerToken, "POST", refunds, "{\"amount\":\"10.00\",\"reason\":\"outage on March 9\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(body(first).get("number").asString()).isEqualTo("CN-000001");
        HttpResponse<String> tooMuch = http.json(resellerToken, "POST", refunds, "{\"amount\":\"20.01\",\"reason\":\"more\"}");
        assertThat(field(tooMuch)).isEqualTo("amount");
        assertThat(body(tooMuch).get("fieldErrors").get(0).get("message").asString()).contains("at most 20.00 EUR");
        HttpResponse<String> rest = http.json(resellerToken, "POST", refunds, "{\"amount\":\"20.00\",\"reason\":\"cancelled\"}");
        assertThat(body(rest).get("number").asString()).isEqualTo("CN-000002");
        assertThat(field(http.json(resellerToken, "POST", refunds, "{\"amount\":\"0.01\",\"reason\":\"more\"}"))).isEqualTo("amount");

        // Appended, never edited: the charge stays, two credits bring the balance back to zero.
        JsonNode ledger = body(http.json(kimToken, "GET", "/api/billing/accounts/" + kim.accountId() + "/ledger", null)).get("items");
        assertThat(ledger).hasSize(3);
        List<String> kinds = new java.util.ArrayList<>();
        ledger.forEach(e -> kinds.add(e.get("kind").asString() + " " + e.get("amount").asString() + " " + e.get("reference").asString()));
        assertThat(kinds).containsExactlyInAnyOrder("charge -30.00 ", "credit 10.00 credit-note CN-000001",
                "credit 20.00 credit-note CN-000002");
        assertThat(body(http.json(kimToken, "GET", "/api/billing/accounts/" + kim.accountId() + "/balance", null))
                .get("balanceMinor").asLong()).isZero();

        JsonNode notes = body(http.json(kimToken, "GET", "/api/billing/accounts/" + kim.accountId() + "/credit-notes", null));
        assertThat(notes.get("total").asLong()).isEqualTo(2);
        long noteId = notes.get("items").get(1).get("id").asLong();
        HttpResponse<byte[]> pdf = http.bytes(kimToken, "/api/billing/credit-notes/" + noteId + "/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/pdf"));
        String text = pdfText(pdf.body());
        assertThat(text).contains("Credit note CN-000001").contains("For invoice 000001 of 30.00 EUR")
                .contains("Refund: outage on March 9").contains("-10.00 EUR").contains("Issued: 2028-03-10");
        assertThat(http.bytes(tokens.create(lea, "lea").token(), "/api/billing/credit-notes/" + noteId + "/pdf").statusCode())
                .as("another customer's").isEqualTo(404);

        // One invoice series per issuer shared by both kinds of invoice; credit notes a series of their own, per issuer.
        long leaInvoice = body(http.json(resellerToken, "POST", "/api/billing/accounts/" + lea.accountId() + "/invoices", null)).get("id").asLong();
        JsonNode leaNote = body(http.json(resellerToken, "POST", "/api/billing/invoices/" + leaInvoice + "/refunds",
                "{\"amount\":\"8.00\",\"reason\":\"goodwill\"}"));
        assertThat(leaNote.get("number").asString()).isEqualTo("CN-000003");
        long ownInvoice = body(http.json(operatorToken, "POST", "/api/billing/accounts/" + own.accountId() + "/invoices", null)).get("id").asLong();
        assertThat(body(http.json(operatorToken, "POST", "/api/billing/invoices/" + ownInvoice + "/refunds",
                "{\"amount\":\"1.00\",\"reason\":\"goodwill\"}")).get("number").asString()).isEqualTo("CN-000001");
        assertThat(jdbc.sql("select number from invoice where id = ?").param(leaInvoice).query(Long.class).single()).isEqualTo(2);

        // The month's own invoice, after an on-demand one, bills only what is left.
        billing.record(reseller, kim.accountId(), new EntryRequest("charge", "5.00", "extra address", null));
        at("2028-04-01T01:00:00Z");
        assertThat(invoicing.issueDue()).isEqualTo(1);
        JsonNode kimInvoices = body(http.json(kimToken, "GET", "/api/billing/accounts/" + kim.accountId() + "/invoices", null)).get("items");
        assertThat(kimInvoices).hasSize(2);
        assertThat(kimInvoices.get(0).get("total").asString()).isEqualTo("5.00");
        assertThat(kimInvoices.get(0).get("number").asString()).isEqualTo("000003");
        assertThat(kimInvoices.get(0).get("periodStart").asString()).isEqualTo("2028-03-11");
    }

    private static String pdfText(byte[] pdf) throws Exception {
        PdfReader reader = new PdfReader(pdf);
        try {
            StringBuilder text = new StringBuilder();
            for (int page = 1; page <= reader.getNumberOfPages(); page++) {
                text.append(new PdfTextExtractor(reader).getTextFromPage(page)).append('\n');
            }
            return text.toString();
        } finally {
            reader.close();
        }
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }
}
