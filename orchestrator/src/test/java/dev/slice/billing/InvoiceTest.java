package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.billing.BillingService.ProfileRequest;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;

/** Monthly invoices: what they bill, their PDF read back, numbers per issuer without gaps under concurrency, REST. */
@SliceSpringTest
class InvoiceTest {
    static final YearMonth JANUARY = YearMonth.of(2028, 1);

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired JobWorker worker;
    @Autowired ApiTokenService tokens;
    @Autowired BillingService billing;
    @Autowired Metering metering;
    @Autowired Invoicing invoicing;
    @Autowired BillingRepository repository;
    @Autowired MutableClock clock;
    @Autowired TransactionTemplate transactions;

    @Test
    void aMonthsInvoiceBillsItsChargesWithTheIssuerAndTaxAndReadsBackFromItsPdf() throws Exception {
        at("2028-01-10T10:00:00Z");
        Actor reseller = Tenants.reseller(accounts, plans, "acme");
        Actor hana = Tenants.customer(accounts, reseller, "hana");
        billing.saveProfile(reseller, reseller.accountId(), new ProfileRequest("Acme Hosting GmbH", "Hauptstr. 1\n10115 Berlin",
                "DE123456789", null, null));
        billing.saveProfile(reseller, hana.accountId(), new ProfileRequest("Hana Schmidt", "Gartenweg 2\n80331 Munich", "", 1900, null));
        Plan ten = plans.create(reseller, new PlanRequest("ten", "oci", 1, 512, 2048, 100, 1000));
        orders.order(hana, new OrderRequest(ten.id(), "h1", "debian-12", Tenants.PASSWORD, List.of(), null));
        worker.runDue();
        billing.record(reseller, hana.accountId(), new EntryRequest("charge", "12.00", "setup fee", null));
        billing.record(reseller, hana.accountId(), new EntryRequest("payment", "50.00", "bank transfer", null)); // not billed

        at("2028-02-01T00:30:00Z");
        metering.runPass();
        assertThat(invoicing.issueDue()).isEqualTo(1);
        assertThat(invoicing.issueDue()).isZero();
        Invoice invoice = invoicing.issue(hana.accountId(), JANUARY).orElseThrow();
        // The server: January 10, 10:00 to February 1: 518 h x 10.00 / 672 = 7.708 -> 7.71; with the fee 19.71.
        assertThat(invoice.number()).isEqualTo(1);
        assertThat(invoice.total().minor()).isEqualTo(1971);
        // 19% contained: 1971 x 1900 / 11900 = 314.69 -> 3.15; net 16.56.
        assertThat(invoice.tax().minor()).isEqualTo(315);
        assertThat(invoice.net().minor()).isEqualTo(1656);
        assertThat(invoice.lines()).extracting(Invoice.Line::description)
                .containsExactly("Server h1: hourly hosting to the end of 2028-01", "setup fee");

        String text = pdfText(repository.pdf(invoice.id()).orElseThrow());
        assertThat(text).contains("Invoice 000001", "Acme Hosting GmbH", "Hauptstr. 1", "10115 Berlin", "Tax id: DE123456789",
                "Hana Schmidt", "Gartenweg 2", "Period: 2028-01-01 to 2028-01-31", "Server h1", "7.71 EUR", "setup fee", "12.00 EUR",
                "Tax 19.00% (included)", "3.15 EUR", "16.56 EUR", "19.71 EUR");

        // A billed charge reversed in February is credited on February's invoice, which the reseller numbers 2.
        LedgerEntry fee = repository.entries(hana.accountId(), 0, 100).stream().filter(e -> e.reason().equals("setup fee"))
                .findFirst().orElseThrow();
        billing.reverse(reseller, fee.id(), "fee waived");
        at("2028-03-01T00:10:00Z");
        metering.runPass();
        assertThat(invoicing.issueDue()).isEqualTo(1);
        Invoice february = invoicing.issue(hana.accountId(), YearMonth.of(2028, 2)).orElseThrow();
        assertThat(february.number()).isEqualTo(2);
        // February 2028: 696 h, capped at 10.00; less the fee: -2.00.
        assertThat(february.total().minor()).isEqualTo(1000 - 1200);

        // Through REST: the customer lists and downloads; another customer cannot.
        ApiHttp http = new ApiHttp(port);
        String token = tokens.create(hana, "invoices").token();
        HttpResponse<String> list = http.json(token, "GET", "/api/billing/accounts/" + hana.accountId() + "/invoices", null);
        assertThat(ApiHttp.body(list).path("total").asLong()).isEqualTo(2);
        assertThat(ApiHttp.body(list).path("items").get(1).path("number").asString()).isEqualTo("000001");
        HttpResponse<byte[]> pdf = http.bytes(token, "/api/billing/invoices/" + invoice.id() + "/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
        assertThat(pdfText(pdf.body())).contains("Invoice 000001");
        String other = tokens.create(Tenants.customer(accounts, reseller, "nosy"), "x").token();
        assertThat(http.bytes(other, "/api/billing/invoices/" + invoice.id() + "/pdf").statusCode()).isEqualTo(404);
    }

    @Test
    void numbersPerIssuerHaveNoGapsUnderConcurrencyAndAfterAFailure() throws Exception {
        at("2028-01-15T12:00:00Z");
        Actor reseller = Tenants.reseller(accounts, plans, "busy");
        List<Actor> customers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Actor customer = Tenants.customer(accounts, reseller, "cust" + i);
            billing.record(reseller, customer.accountId(), new EntryRequest("charge", "1.0" + i, "service " + i, null));
            customers.add(customer);
        }
        at("2028-02-02T00:00:00Z");
        // An invoice whose transaction fails gives its number back.
        transactions.executeWithoutResult(status -> {
            assertThat(invoicing.issue(customers.getFirst().accountId(), JANUARY)).isPresent();
            status.setRollbackOnly();
        });
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Optional<Invoice>>> calls = new ArrayList<>();
        for (Actor customer : customers) {
            calls.add(() -> invoicing.issue(customer.accountId(), JANUARY));
            calls.add(() -> invoicing.issue(customer.accountId(), JANUARY)); // each twice at once
        }
        List<Long> numbers = new ArrayList<>();
        for (Future<Optional<Invoice>> result : pool.invokeAll(calls)) {
            numbers.add(result.get(1, TimeUnit.MINUTES).orElseThrow().number());
        }
        pool.shutdown();
        assertThat(numbers.stream().distinct().sorted().toList()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        for (Actor customer : customers) assertThat(repository.countInvoices(customer.accountId())).isEqualTo(1);
        // Another issuer counts from 1 on its own.
        Actor second = Tenants.reseller(accounts, plans, "second");
        Actor ida = Tenants.customer(accounts, second, "ida");
        billing.record(second, ida.accountId(), new EntryRequest("charge", "3.00", "service", null));
        assertThat(invoicing.issue(ida.accountId(), YearMonth.of(2028, 2)).orElseThrow().number()).isEqualTo(1);
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
