package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** Payments over HTTP: recorded by the provider's people through REST, and by the provider's signed webhook, once per event. */
@SliceSpringTest
@TestPropertySource(properties = "slice.billing.webhook-secret=" + ProviderEventsTest.SECRET)
class ProviderEventsTest {
    static final String SECRET = "whsec-test-5f2b";
    static final String PATH = "/api/billing/provider-events";

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired BillingRepository repository;
    @Autowired JdbcClient jdbc;

    ApiHttp http;
    Actor reseller;
    Actor gus;

    @BeforeEach
    void tenants() {
        http = new ApiHttp(port);
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "pay-res" + suffix);
        gus = Tenants.customer(accounts, reseller, "gus" + suffix);
    }

    @Test
    void aSignedEventIsAppliedOnceHoweverOftenItIsDelivered() throws Exception {
        String event = event("evt_1_" + gus.accountId(), "payment.succeeded", gus.accountId(), "25.00", "EUR");
        HttpResponse<String> first = deliver(event, sign(event));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(ApiHttp.body(first).path("outcome").asString()).isEqualTo("applied");
        assertThat(repository.balance(gus.accountId()).minor()).isEqualTo(2500);

        HttpResponse<String> again = deliver(event, sign(event));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(ApiHttp.body(again).path("outcome").asString()).isEqualTo("duplicate");
        assertThat(ApiHttp.body(again).path("entryId").asLong()).isEqualTo(ApiHttp.body(first).path("entryId").asLong());

        // Eight deliveries of a new event at once: one entry.
        String burst = event("evt_2_" + gus.accountId(), "payment.succeeded", gus.accountId(), "10.00", "EUR");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) calls.add(() -> deliver(burst, sign(burst)).statusCode());
        for (Future<Integer> status : pool.invokeAll(calls)) assertThat(status.get(1, TimeUnit.MINUTES)).isEqualTo(200);
        pool.shutdown();
        assertThat(repository.balance(gus.accountId()).minor()).isEqualTo(3500);
        assertThat(repository.countEntries(gus.accountId())).isEqualTo(2);

        String refund = event("evt_3_" + gus.accountId(), "payment.refunded", gus.accountId(), "5.00", "EUR");
        assertThat(deliver(refund, sign(refund)).statusCode()).isEqualTo(200);
        assertThat(repository.balance(gus.accountId()).minor()).isEqualTo(3000);
        String other = event("evt_4_" + gus.accountId(), "customer.updated", gus.accountId(), "1.00", "EUR");
        assertThat(ApiHttp.body(deliver(other, sign(other))).path("outcome").asString()).isEqualTo("ignored");
        assertThat(repository.sumOfEntries(gus.accountId())).isEqualTo(repository.balance(gus.accountId()));
    }

    @Test
    void aBadSignatureIs401AndABadBody400NamingTheField() {
        long entries = count();
        String event = event("evt_bad_" + gus.accountId(), "payment.succeeded", gus.accountId(), "25.00", "EUR");
        assertThat(deliver(event, null).statusCode()).isEqualTo(401);
        assertThat(deliver(event, "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
        assertThat(deliver(event, "md5=abc").statusCode()).isEqualTo(401);
        assertThat(deliver(event + " ", sign(event)).statusCode()).isEqualTo(401); // the body changed after signing
        HttpResponse<String> unsigned = deliver(event, ProviderEvents.sign("other".getBytes(StandardCharsets.UTF_8),
                event.getBytes(StandardCharsets.UTF_8)));
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(ApiHttp.body(unsigned).path("error").asString()).isEqualTo("bad_signature");

        assertThat(deliver("{not json", sign("{not json")).statusCode()).isEqualTo(400);
        assertThat(deliver("[1]", sign("[1]")).statusCode()).isEqualTo(400);
        badField(event("evt_x", "payment.succeeded", null, "1.00", "EUR"), "accountId");
        badField(event("evt_x", "payment.succeeded", 999_999_999L, "1.00", "EUR"), "accountId");
        badField(event("evt_x", "payment.succeeded", gus.accountId(), "1.00", "USD"), "currency");
        badField(event("evt_x", "payment.succeeded", gus.accountId(), "-1.00", "EUR"), "amount");
        badField(event("evt_x", "payment.succeeded", gus.accountId(), "1.001", "EUR"), "amount");
        badField(event("", "payment.succeeded", gus.accountId(), "1.00", "EUR"), "id");
        assertThat(count()).isEqualTo(entries);
        assertThat(jdbc.sql("select count(*) from provider_event where event_id = 'evt_x'").query(Long.class).single()).isZero();
    }

    @Test
    void peopleRecordPaymentsThroughRestWhenTheyAreTheProvider() {
        String resellerToken = tokens.create(reseller, "pay").token();
        String gusToken = tokens.create(gus, "me").token();
        String path = "/api/billing/accounts/" + gus.accountId();
        HttpResponse<String> paid = http.json(resellerToken, "POST", path + "/payments",
                "{\"amount\": \"12.50\", \"reason\": \"bank transfer\", \"reference\": \"TX-77\"}");
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
        assertThat(ApiHttp.body(paid).path("amountMinor").asLong()).isEqualTo(1250);
        assertThat(http.json(gusToken, "POST", path + "/payments", "{\"amount\": \"1\", \"reason\": \"me\", \"reference\": null}")
                .statusCode()).isEqualTo(403);
        HttpResponse<String> bad = http.json(resellerToken, "POST", path + "/payments",
                "{\"amount\": \"1.234\", \"reason\": \"x\", \"reference\": null}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiHttp.field(bad)).isEqualTo("amount");
        HttpResponse<String> balance = http.json(gusToken, "GET", path + "/balance", null);
        assertThat(ApiHttp.body(balance).path("balance").asString()).isEqualTo("12.50");
        HttpResponse<String> ledger = http.json(gusToken, "GET", path + "/ledger?limit=10", null);
        assertThat(ApiHttp.body(ledger).path("items").get(0).path("reference").asString()).isEqualTo("TX-77");
        Actor stranger = Tenants.customer(accounts, reseller, "stranger" + System.nanoTime() % 1000);
        assertThat(http.json(tokens.create(stranger, "x").token(), "GET", path + "/balance", null).statusCode()).isEqualTo(404);
    }

    private void badField(String event, String field) {
        HttpResponse<String> response = deliver(event, sign(event));
        assertThat(response.statusCode()).as(event + " -> " + response.body()).isEqualTo(400);
        assertThat(ApiHttp.field(response)).isEqualTo(field);
    }

    private long count() {
        return jdbc.sql("select count(*) from ledger_entry").query(Long.class).single();
    }

    private HttpResponse<String> deliver(String body, String signature) {
        return http.withHeaders(null, "POST", PATH, body, signature == null ? Map.of() : Map.of("X-Slice-Signature", signature));
    }

    private static String sign(String body) {
        return ProviderEvents.sign(SECRET.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
    }

    private static String event(String id, String type, Long accountId, String amount, String currency) {
        return "{\"id\": \"%s\", \"type\": \"%s\", %s\"amount\": \"%s\", \"currency\": \"%s\"}".formatted(id, type,
                accountId == null ? "" : "\"accountId\": " + accountId + ", ", amount, currency);
    }
}
