package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.billing.BillingService.ProfileRequest;
import dev.slice.error.ValidationException;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** Paying in advance: an order the balance cannot cover for its first month is refused on planId and creates nothing. */
@SliceSpringTest
@TestPropertySource(properties = "slice.billing.prepaid=true")
class PrepaidOrderTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired BillingService billing;
    @Autowired ApiTokenService tokens;
    @Autowired JdbcClient jdbc;

    Actor reseller;
    Actor erin;
    Plan small; // 5.00 a month

    @BeforeEach
    void tenants() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "prepaid-res" + suffix);
        erin = Tenants.customer(accounts, reseller, "erin" + suffix);
        small = Tenants.plan(plans, reseller, "small", 1, 512, 2048);
    }

    @Test
    void anUncoveredOrderIsRefusedOnPlanIdAndCreatesNothing() {
        Map<String, Long> before = counts();
        assertThatThrownBy(() -> orders.order(erin, order("web1")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("planId");
                    assertThat(e.getMessage()).contains("balance of 0.00 EUR").contains("5.00 EUR");
                });
        billing.record(reseller, erin.accountId(), new EntryRequest("payment", "4.99", "not quite", null));
        assertThatThrownBy(() -> orders.order(erin, order("web1"))).isInstanceOf(ValidationException.class);

        // The same through the REST API: 400 naming planId, and still nothing created.
        String token = tokens.create(erin, "orders").token();
        HttpResponse<String> refused = new ApiHttp(port).json(token, "POST", "/api/servers", """
                {"planId": %d, "hostname": "web1", "template": "debian-12", "rootPassword": "%s", "sshKeys": []}"""
                .formatted(small.id(), Tenants.PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiHttp.field(refused)).isEqualTo("planId");
        assertThat(counts()).isEqualTo(before);

        billing.record(reseller, erin.accountId(), new EntryRequest("payment", "0.01", "the rest", null));
        long serverId = orders.order(erin, order("web1")).serverId();
        assertThat(jdbc.sql("select count(*) from meter_segment where server_id = ? and to_hour is null").param(serverId)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anAccountOnPostpaidTermsOrdersWithoutABalance() {
        billing.saveProfile(reseller, erin.accountId(), new ProfileRequest("Erin Ltd", "1 Road", "", null, "postpaid"));
        assertThat(billing.isPrepaid(erin.accountId())).isFalse();
        assertThat(orders.order(erin, order("web2")).serverId()).isPositive();
        // The reseller's own terms pass to its customers that do not say.
        Actor frank = Tenants.customer(accounts, reseller, "frank" + System.nanoTime() % 1000);
        assertThat(billing.isPrepaid(frank.accountId())).isTrue();
        billing.saveProfile(Tenants.operator(accounts), reseller.accountId(), new ProfileRequest("Res", "", "", null, "postpaid"));
        assertThat(billing.isPrepaid(frank.accountId())).isFalse();
        // A customer cannot change its own terms.
        assertThatThrownBy(() -> billing.saveProfile(frank, frank.accountId(), new ProfileRequest("F", "", "", null, "prepaid")))
                .isInstanceOf(dev.slice.error.ForbiddenException.class);
    }

    @Test
    void aBalanceCoversAMonthOfEachServerAlsoUnderConcurrentOrders() throws Exception {
        billing.record(reseller, erin.accountId(), new EntryRequest("payment", "10.00", "two months of small", null));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Callable<Boolean>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String hostname = "par" + i;
            calls.add(() -> {
                try {
                    orders.order(erin, order(hostname));
                    return true;
                } catch (ValidationException e) {
                    assertThat(e.field()).isEqualTo("planId");
                    assertThat(e.getMessage()).contains("besides the rest of this month of your servers (10.00 EUR)");
                    return false;
                }
            });
        }
        long accepted = 0;
        for (var result : pool.invokeAll(calls)) if (result.get(1, java.util.concurrent.TimeUnit.MINUTES)) accepted++;
        pool.shutdown();
        assertThat(accepted).as("orders a 10.00 balance covers at 5.00 a month each").isEqualTo(2);
        assertThat(count("select count(*) from server where owner_id = " + erin.accountId())).isEqualTo(2);
    }

    private Map<String, Long> counts() {
        return Map.of(
                "server", count("select count(*) from server"),
                "job", count("select count(*) from job"),
                "meter_segment", count("select count(*) from meter_segment"),
                "ip_address", count("select count(*) from ip_address where server_id is not null"),
                "audit", count("select count(*) from audit_log where action = 'server.order'"));
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private OrderRequest order(String hostname) {
        return new OrderRequest(small.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), null);
    }
}
