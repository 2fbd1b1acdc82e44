package dev.slice.api;

import static dev.slice.testing.ApiHttp.body;
import static dev.slice.testing.ApiHttp.fields;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.firewall.FirewallLimits;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** /api/servers/{id}/firewall over real HTTP and PostgreSQL: the rules round-trip, bad input names its field, tenants stay apart. */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallApiTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired JobWorker worker;

    ApiHttp api;
    String reseller;
    String customer;
    String stranger;
    String base;

    @BeforeAll
    void server() {
        api = new ApiHttp(port);
        Actor res = Tenants.reseller(accounts, plans, "fw-res");
        Actor cus = Tenants.customer(accounts, res, "fw-cus");
        Actor other = Tenants.customer(accounts, Tenants.reseller(accounts, plans, "fw-res2"), "fw-cus2");
        reseller = tokens.create(res, "fw").token();
        customer = tokens.create(cus, "fw").token();
        stranger = tokens.create(other, "fw").token();
        Plan plan = Tenants.plan(plans, res, "fw-small", 1, 256, 1024);
        long serverId = orders.order(cus, new OrderRequest(plan.id(), "fwapi", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        base = "/api/servers/" + serverId + "/firewall";
    }

    @Test
    void rulesAreReplacedAddedAndDeletedInOrder() {
        assertThat(body(api.json(customer, "GET", base, null)).path("defaultAction").asString()).isEqualTo("allow");
        HttpResponse<String> put = api.json(customer, "PUT", base, """
                {"defaultAction":"deny","rules":[
                  {"action":"allow","protocol":"tcp","ports":"22"},
                  {"action":"deny","protocol":"any","source":"192.0.2.77/24"},
                  {"action":"allow","protocol":"udp","ports":"6000-6010","source":"2001:db8::/32"}]}""");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(body(put).path("maxRules").asInt()).isEqualTo(FirewallLimits.MAX_RULES);

        HttpResponse<String> added = api.json(customer, "POST", base + "/rules", "{\"action\":\"allow\",\"protocol\":\"icmp\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(api.json(customer, "DELETE", base + "/rules/1", null).statusCode()).isEqualTo(200);
        var rules = body(api.json(reseller, "GET", base, null)).path("rules");
        assertThat(rules.size()).isEqualTo(3);
        assertThat(rules.get(0).path("ports").asString()).isEqualTo("22");
        assertThat(rules.get(1).path("source").asString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(rules.get(1).path("ports").asString()).isEqualTo("6000-6010");
        assertThat(rules.get(2).path("protocol").asString()).isEqualTo("icmp");
        assertThat(api.json(customer, "DELETE", base + "/rules/3", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badInputIsA400NamingTheField() {
        Map<String, String> bad = Map.of(
                "{\"defaultAction\":\"maybe\",\"rules\":[]}", "defaultAction",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"source\":\"10.0.0.0/33\"}]}", "rules[0].source",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"source\":\"example.com\"}]}", "rules[0].source",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"65536\"}]}", "rules[0].ports",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"sctp\"}]}", "rules[0].protocol",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"action\":\"allow\",\"protocol\":\"icmp\",\"ports\":\"22\"}]}", "rules[0].ports",
                "{\"defaultAction\":\"deny\",\"rules\":[{\"protocol\":\"tcp\"}]}", "rules[0].action");
        bad.forEach((json, field) -> {
            HttpResponse<String> response = api.json(customer, "PUT", base, json);
            assertThat(response.statusCode()).as(json + ": " + response.body()).isEqualTo(400);
            assertThat(fields(response)).as(json).containsExactly(field);
        });
        String many = "{\"defaultAction\":\"allow\",\"rules\":[" + String.join(",",
                java.util.Collections.nCopies(FirewallLimits.MAX_RULES + 1, "{\"action\":\"deny\",\"protocol\":\"any\"}")) + "]}";
        HttpResponse<String> tooMany = api.json(customer, "PUT", base, many);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(fields(tooMany)).containsExactly("rules");
        HttpResponse<String> badAdd = api.json(customer, "POST", base + "/rules", "{\"action\":\"allow\",\"protocol\":\"tcp\",\"ports\":\"0\"}");
        assertThat(badAdd.statusCode()).isEqualTo(400);
        assertThat(fields(badAdd)).containsExactly("ports");
    }

    @Test
    void anotherTenantNeitherSeesNorChangesTheFirewall() {
        assertThat(api.json(stranger, "GET", base, null).statusCode()).isEqualTo(404);
        assertThat(api.json(stranger, "PUT", base, "{\"defaultAction\":\"allow\",\"rules\":[]}").statusCode()).isEqualTo(404);
        assertThat(api.json(stranger, "POST", base + "/rules", "{\"action\":\"allow\",\"protocol\":\"any\"}").statusCode()).isEqualTo(404);
        assertThat(api.json(stranger, "DELETE", base + "/rules/0", null).statusCode()).isEqualTo(404);
        assertThat(api.json(customer, "GET", "/api/servers/99999999/firewall", null).statusCode()).isEqualTo(404);
    }
}
