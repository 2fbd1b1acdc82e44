package dev.slice.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.error.ValidationException;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Quotas on real PostgreSQL: a reseller's grant totals and a customer's limits hold under concurrent orders (exactly
 * the allowed number created, the rest refused with the message, nothing half-created), for resizes, and through the API.
 */
@SliceSpringTest
class QuotasTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired CustomerLimits limits;
    @Autowired ApiTokenService tokens;
    @Autowired JobWorker worker;
    @Autowired JdbcClient jdbc;

    Actor operator;
    Actor reseller;
    Plan small; // 1 vCPU, 256 MiB, 1 GiB disk
    String suffix;

    @BeforeEach
    void tenants() {
        // The one test node is large enough that only the quotas refuse here (the tests of this class share it).
        jdbc.sql("update node set cpus = 256, memory_mib = 262144, disk_mib = 10485760").update();
        suffix = Long.toString(System.nanoTime() % 1_000_000);
        operator = Tenants.operator(accounts);
        reseller = Tenants.reseller(accounts, plans, "quota-res" + suffix);
        small = Tenants.plan(plans, reseller, "small", 1, 256, 1024);
    }

    @Test
    void concurrentOrdersNeverSellPastTheGrantsMemoryTotal() throws Exception {
        plans.grant(operator, new CapacityGrant(reseller.accountId(), 4, 8192, 102_400, 100, Set.of("oci"), null, 10 * 256L, null, null));
        List<Actor> customers = new ArrayList<>();
        for (int i = 0; i < 8; i++) customers.add(Tenants.customer(accounts, reseller, "buyer" + i + "-" + suffix));
        Map<String, Long> before = counts();

        // 40 orders from 8 customers: even ones by the customers themselves, odd ones by the reseller for them.
        List<String> results = concurrently(40, i -> {
            Actor customer = customers.get(i % 8);
            boolean own = i % 2 == 0;
            return () -> order(own ? customer : reseller, "box" + i, own ? null : customer.accountId(), own ? "customer" : "reseller");
        });

        assertThat(results).filteredOn("placed"::equals).hasSize(10);
        assertThat(results).filteredOn(r -> r.startsWith("customer:")).allSatisfy(r ->
                assertThat(r).isEqualTo("customer: planId: " + Quotas.NOT_AVAILABLE));
        assertThat(results).filteredOn(r -> r.startsWith("reseller:")).isNotEmpty().allSatisfy(r ->
                assertThat(r).contains("memory: 2,560 of 2,560 MiB sold, this plan needs 256"));
        Map<String, Long> after = counts();
        assertThat(after.get("server") - before.get("server")).isEqualTo(10);
        assertThat(after.get("address") - before.get("address")).as("addresses taken").isEqualTo(10);
        assertThat(after.get("job") - before.get("job")).isEqualTo(10);
        assertThat(after.get("meter") - before.get("meter")).as("metering opened").isEqualTo(10);
        assertThat(after.get("ledger")).as("no charges").isEqualTo(before.get("ledger"));
        assertThat(repositoryMemorySold()).isEqualTo(2560);
    }

    @Test
    void concurrentOrdersOfOneCustomerStopAtItsServerLimit() throws Exception {
        Actor carol = Tenants.customer(accounts, reseller, "carol" + suffix);
        limits.set(reseller, carol.accountId(), new Quota(3, null, null, null, null));
        long before = count("server");

        List<String> results = concurrently(20, i -> () -> order(carol, "web" + i, null, "carol"));

        assertThat(results).filteredOn("placed"::equals).hasSize(3);
        assertThat(results).filteredOn(r -> !r.equals("placed")).hasSize(17).allSatisfy(r -> assertThat(r).isEqualTo(
                "carol: planId: your account's limit: servers: 3 of 3 used, this plan needs 1; your provider can raise it"));
        assertThat(count("server") - before).isEqualTo(3);
        assertThat(jdbc.sql("select count(*) from server where owner_id = ?").param(carol.accountId()).query(Long.class).single())
                .isEqualTo(3);
    }

    @Test
    void resizesStayWithinTheGrantsAndTheCustomersTotals() {
        Actor dave = Tenants.customer(accounts, reseller, "dave" + suffix);
        plans.grant(operator, new CapacityGrant(reseller.accountId(), 4, 8192, 102_400, 100, Set.of("oci"), 3, null, null, 2));
        long first = orders.order(dave, request("one", null)).serverId();
        long second = orders.order(dave, request("two", null)).serverId();
        worker.runDue();
        // Two addresses granted, two held: a third server is refused on its address already.
        assertThatThrownBy(() -> orders.order(reseller, request("three", dave.accountId())))
                .hasMessageContaining("IPv4 addresses: 2 of 2 sold, this plan needs 1");

        Plan twoCpus = Tenants.plan(plans, reseller, "two-cpus", 2, 256, 1024);
        servers.resize(dave, first, twoCpus.id());
        worker.runDue();
        assertThatThrownBy(() -> servers.resize(dave, second, twoCpus.id()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).isEqualTo("planId: " + Quotas.NOT_AVAILABLE));
        assertThatThrownBy(() -> servers.resize(reseller, second, twoCpus.id()))
                .hasMessageContaining("vCPUs: 3 of 3 sold, this resize needs 1");
        assertThat(jdbc.sql("select status || ' ' || vcpus from server where id = ?").param(second).query(String.class).single())
                .as("nothing changed").isEqualTo("active 1");

        // The customer's own memory limit, lowered below what it holds: growing is refused, shrinking back is not.
        Plan bigger = Tenants.plan(plans, reseller, "bigger", 1, 1024, 1024);
        limits.set(reseller, dave.accountId(), new Quota(null, null, 512L, null, null));
        assertThatThrownBy(() -> servers.resize(dave, second, bigger.id()))
                .hasMessage("planId: your account's limit: memory: 512 of 512 MiB used, this resize needs 768; your provider can raise it");
        assertThatThrownBy(() -> servers.resize(reseller, second, bigger.id()))
                .hasMessageStartingWith("planId: the limit of dave" + suffix + ": memory: 512 of 512 MiB used");
        servers.resize(dave, first, small.id());
        worker.runDue();
        assertThat(jdbc.sql("select vcpus from server where id = ?").param(first).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aDirectCustomersLimitIsTheOperators() {
        Plan operatorPlan = Tenants.plan(plans, operator, "direct-" + suffix, 1, 256, 1024);
        Actor erin = Tenants.customer(accounts, operator, "erin" + suffix);
        limits.set(operator, erin.accountId(), new Quota(null, null, null, 1024L, null));
        orders.order(erin, new OrderRequest(operatorPlan.id(), "one", "debian-12", Tenants.PASSWORD, List.of(), null));
        assertThatThrownBy(() -> orders.order(operator, new OrderRequest(operatorPlan.id(), "two", "debian-12", Tenants.PASSWORD,
                List.of(), erin.accountId())))
                .hasMessage("planId: the limit of erin" + suffix + ": disk: 1,024 of 1,024 MiB used, this plan needs 1,024;"
                        + " raise it in the customer's limits");
    }

    @Test
    void theApiSetsLimitsOnlyWhereTheAccountRulesAllowAndNamesBadFields() {
        Actor frank = Tenants.customer(accounts, reseller, "frank" + suffix);
        Actor other = Tenants.reseller(accounts, plans, "other-res" + suffix);
        String op = tokens.create(operator, "quotas").token();
        String res = tokens.create(reseller, "quotas").token();
        String customer = tokens.create(frank, "quotas").token();
        String stranger = tokens.create(other, "quotas").token();
        String path = "/api/accounts/" + frank.accountId() + "/limits";

        HttpResponse<String> set = http(res, "PUT", path, "{\"maxServers\":2,\"maxMemoryMiB\":1024}");
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(body(set).path("maxServers").asInt()).isEqualTo(2);
        assertThat(body(set).path("maxVcpus").isNull()).isTrue();
        HttpResponse<String> own = http(customer, "GET", path, null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(body(own).path("maxMemoryMiB").asLong()).isEqualTo(1024);

        assertThat(http(customer, "PUT", path, "{\"maxServers\":99}").statusCode()).as("a customer sets no limits").isEqualTo(403);
        assertThat(http(stranger, "PUT", path, "{\"maxServers\":99}").statusCode()).as("another reseller's customer").isEqualTo(404);
        assertThat(http(stranger, "GET", path, null).statusCode()).isEqualTo(404);
        HttpResponse<String> onReseller = http(op, "PUT", "/api/accounts/" + reseller.accountId() + "/limits", "{\"maxServers\":1}");
        assertThat(onReseller.statusCode()).isEqualTo(400);
        assertThat(fields(onReseller)).isEmpty();
        assertThat(fields(http(res, "PUT", path, "{\"maxMemoryMiB\":-1}"))).containsExactly("maxMemoryMiB");
        assertThat(fields(http(res, "PUT", path, "{\"maxIpv4Addresses\":100001}"))).containsExactly("maxIpv4Addresses");
        assertThat(http(res, "PUT", path, "{\"maxServers\":\"many\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> overGrant = http(res, "PUT", path, "{\"maxServers\":101}");
        assertThat(fields(overGrant)).as("above the reseller's own grant of 100 servers").containsExactly("maxServers");
        assertThat(overGrant.body()).contains("at most 100: your capacity grant allows 100 servers in total");
        assertThat(limits.of(frank, frank.accountId())).as("the refused limits changed nothing")
                .isEqualTo(new Quota(2, null, 1024L, null, null));

        assertThat(http(res, "PUT", path, "{}").statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from account_limits where account_id = ?").param(frank.accountId()).query(Long.class)
                .single()).as("unlimited: no row").isZero();

        String grantPath = "/api/resellers/" + reseller.accountId() + "/grant";
        String grant = "{\"maxVcpusPerPlan\":2,\"maxMemoryMiBPerPlan\":2048,\"maxDiskMiBPerPlan\":20480,\"maxServers\":10,"
                + "\"backends\":[\"oci\"],\"maxVcpus\":%s,\"maxMemoryMiB\":%s,\"maxDiskMiB\":%s,\"maxIpv4Addresses\":%s}";
        assertThat(fields(http(op, "PUT", grantPath, grant.formatted(-1, "null", "null", "null")))).containsExactly("maxVcpus");
        assertThat(fields(http(op, "PUT", grantPath, grant.formatted("null", "null", Long.MAX_VALUE, "null")))).containsExactly("maxDiskMiB");
        assertThat(fields(http(op, "PUT", grantPath, grant.formatted("null", "null", "null", -3)))).containsExactly("maxIpv4Addresses");
        assertThat(http(res, "PUT", grantPath, grant.formatted(20, 4096, 40960, 10)).statusCode()).as("operators only").isEqualTo(403);
        assertThat(http(op, "PUT", grantPath, grant.formatted(20, 4096, 40960, 10)).statusCode()).isEqualTo(200);
        JsonNode saved = body(http(res, "GET", grantPath, null));
        assertThat(saved.path("maxVcpus").asInt()).isEqualTo(20);
        assertThat(saved.path("maxMemoryMiB").asLong()).isEqualTo(4096);
        assertThat(saved.path("maxDiskMiB").asLong()).isEqualTo(40960);
        assertThat(saved.path("maxIpv4Addresses").asInt()).isEqualTo(10);
        assertThat(saved.path("maxServers").asInt()).isEqualTo(10);
    }

    /** "placed", or who ordered and the refusal. */
    private String order(Actor caller, String hostname, Long ownerId, String who) {
        try {
            orders.order(caller, request(hostname, ownerId));
            return "placed";
        } catch (ValidationException e) {
            return who + ": " + e.getMessage();
        }
    }

    private OrderRequest request(String hostname, Long ownerId) {
        return new OrderRequest(small.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), ownerId);
    }

    /** Runs the tasks at the same moment, each on its own thread, and waits for all (each at most a minute). */
    private static List<String> concurrently(int n, IntFunction<Callable<String>> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<String> call = task.apply(i);
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) results.add(outcome.get(60, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private long repositoryMemorySold() {
        return jdbc.sql("""
                select coalesce(sum(s.memory_mib), 0) from server s join plan p on p.id = s.plan_id
                where p.owner_id = ? and s.status <> 'deleted'""").param(reseller.accountId()).query(Long.class).single();
    }

    private Map<String, Long> counts() {
        return Map.of("server", count("server"), "job", count("job"), "meter", count("meter_segment"),
                "ledger", count("ledger_entry"),
                "address", jdbc.sql("select count(*) from ip_address where server_id is not null").query(Long.class).single());
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private HttpResponse<String> http(String token, String method, String path, String body) {
        return new ApiHttp(port).json(token, method, path, body);
    }

    private static JsonNode body(HttpResponse<String> response) {
        return ApiHttp.body(response);
    }

    private static List<String> fields(HttpResponse<String> response) {
        return ApiHttp.fieldErrors(response);
    }
}
