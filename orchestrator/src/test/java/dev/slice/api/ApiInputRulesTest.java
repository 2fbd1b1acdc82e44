package dev.slice.api;

import static dev.slice.testing.ApiHttp.body;
import static dev.slice.testing.ApiHttp.fields;
import static dev.slice.testing.ApiHttp.isApiError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.error.ValidationException;
import dev.slice.node.NodeService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanLimits;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the API refuses, over real HTTP on real PostgreSQL: each refusal is a 4xx in the API's JSON shape naming
 * the request's own field, and leaves every table as it was.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiInputRulesTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHDXcf9lYSjs5FBvB+bXn8fB4JfvY9C2S2eIWKUqG2gR";

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired NodeService nodes;
    @Autowired JdbcClient jdbc;

    ApiHttp api;
    String operator;
    String reseller;
    String customer;
    long resellerId;
    long customerId;
    Plan plan;
    long nodeId;
    Map<String, String> before;

    @BeforeAll
    void tenants() {
        api = new ApiHttp(port);
        Actor op = Tenants.operator(accounts);
        Actor res = Tenants.reseller(accounts, plans, "rules-res");
        Actor cus = Tenants.customer(accounts, res, "rules-cus");
        resellerId = res.accountId();
        customerId = cus.accountId();
        operator = tokens.create(op, "rules").token();
        reseller = tokens.create(res, "rules").token();
        customer = tokens.create(cus, "rules").token();
        plan = Tenants.plan(plans, res, "rules-small", 1, 256, 1024);
        nodeId = nodes.findByName("local").orElseThrow().id();
        for (String token : new String[] {operator, reseller, customer}) api.json(token, "GET", "/api/me", null); // last-used stamps
    }

    @BeforeEach
    void snapshot() {
        before = TableDigest.of(jdbc);
    }

    /** Every test here sends only requests that must be refused (or reads): not a row may change. */
    @AfterEach
    void nothingWasWritten() {
        assertThat(TableDigest.of(jdbc)).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415WithAClearMessage() {
        String order = validOrder();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x", null}) {
            for (String[] call : new String[][] {{"POST", "/api/servers"}, {"POST", "/api/plans"}, {"PUT", "/api/nodes/" + nodeId + "/overcommit"},
                    {"POST", "/api/tokens"}}) {
                var response = api.send(operator, call[0], call[1], type == null ? order : "planId=1&hostname=x", type);
                assertThat(response.statusCode()).as(call[1] + " as " + type).isEqualTo(415);
                assertThat(isApiError(response)).as(response.body()).isTrue();
                assertThat(body(response).get("message").asString()).contains("application/json");
                assertThat(response.headers().firstValue("Accept")).contains("application/json");
            }
        }
    }

    @Test
    void controlCharactersInAnyTextFieldAreRefusedNamingTheField() {
        for (String bad : new String[] {"\u0000", "\u001b[31m", "\u007f", "a\nb", "\u0085", "\ud800"}) {
            String text = "x" + bad + "y";
            expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), "host1", text, null)), "template");
            expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), text, "debian-12", null)), "hostname");
            expectField(api.json(customer, "POST", "/api/servers", orderWithKey(KEY + " me" + bad + "@laptop")), "sshKeys");
            expectField(api.json(reseller, "POST", "/api/plans", planJson(quoted(text), 256, 1024, 100)), "name");
            expectField(api.json(operator, "POST", "/api/accounts", account("rules-new1", quoted(text), "null")), "displayName");
            expectField(api.json(operator, "POST", "/api/accounts", account("rules-new2", "null", quoted("a" + bad + "@example.org"))), "email");
            expectField(api.json(operator, "POST", "/api/tokens", "{\"name\":" + quoted(text) + "}"), "name");
            expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, 1024, 2048, 1, quoted("oci" + bad))),
                    "backends");
        }
        // The rule lives in the services, so the panel's forms (which call them directly) get it too.
        assertThatThrownBy(() -> plans.create(Tenants.operator(accounts),
                new PlanRequest("nul\u0000plan", "oci", 1, 256, 1024, 0, 100)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> accounts.create(Tenants.operator(accounts),
                new NewAccount(Role.CUSTOMER, "panel-user", "esc\u001b", null, Tenants.PASSWORD, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("displayName"));
        // A user name with NUL at the login is simply unknown (PostgreSQL never sees it).
        assertThat(accounts.findForLogin("admin\u0000")).isEmpty();
    }

    @Test
    void overcommitRefusesNaNInfinitiesAndRatiosOutsideTheRange() {
        String path = "/api/nodes/" + nodeId + "/overcommit";
        String[][] refused = {
                {"\"NaN\"", "1", "1", "cpu"}, {"NaN", "1", "1", null}, {"1", "\"Infinity\"", "1", "memory"},
                {"1e400", "1", "1", "cpu"}, {"1", "-1e400", "1", "memory"}, {"1", "1", "0", "disk"}, {"0.05", "1", "1", "cpu"},
                {"-2", "1", "1", "cpu"}, {"65", "1", "1", "cpu"}, {"4", "8.5", "1", "memory"}, {"4", "1", "17", "disk"},
                {"4", "1", "\"2\"", "disk"}, {"4", "1", "null", "disk"}};
        for (String[] ratios : refused) {
            var response = api.json(operator, "PUT", path, "{\"cpu\":%s,\"memory\":%s,\"disk\":%s}".formatted(ratios[0], ratios[1], ratios[2]));
            assertThat(response.statusCode()).as(String.join(",", ratios)).isEqualTo(400);
            assertThat(isApiError(response)).isTrue();
            if (ratios[3] != null) assertThat(fields(response)).as(response.body()).containsExactly(ratios[3]);
        }
        // The bounds themselves are accepted (and written back to what they were, so the table digest holds).
        var node = nodes.find(nodeId).orElseThrow();
        assertThat(api.json(operator, "PUT", path, "{\"cpu\":64,\"memory\":0.1,\"disk\":16}").statusCode()).isEqualTo(200);
        assertThat(api.json(operator, "PUT", path, "{\"cpu\":%s,\"memory\":%s,\"disk\":%s}".formatted(node.cpuOvercommit(),
                node.memoryOvercommit(), node.diskOvercommit())).statusCode()).isEqualTo(200);
        jdbc.sql("delete from audit_log where action = 'node.overcommit'").update();
    }

    @Test
    void jsonTypesAreNeverCoercedAndTypeErrorsNameTheField() {
        expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), null, "debian-12", "123")), "hostname");
        expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), null, "debian-12", "true")), "hostname");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"planId\":" + plan.id(), "\"planId\":\"" + plan.id() + "\"")), "planId");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"planId\":" + plan.id(), "\"planId\":" + plan.id() + ".5")), "planId");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"planId\":" + plan.id(), "\"planId\":" + plan.id() + ".0")), "planId");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"planId\":" + plan.id(), "\"planId\":99999999999999999999")), "planId");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"sshKeys\":[]", "\"sshKeys\":\"" + KEY + "\"")), "sshKeys");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"sshKeys\":[]", "\"sshKeys\":[1]")), "sshKeys[0]");
        expectField(api.json(reseller, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"vcpus\":1", "\"vcpus\":1.9")), "vcpus");
        expectField(api.json(reseller, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"vcpus\":1", "\"vcpus\":true")), "vcpus");
        expectField(api.json(reseller, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"monthlyPriceCents\":100",
                "\"monthlyPriceCents\":1.5")), "monthlyPriceCents");
        expectField(api.json(reseller, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"vcpus\":1", "\"vcpus\":null")), "vcpus");
        expectField(api.json(operator, "POST", "/api/accounts/" + customerId + "/enabled", "{\"enabled\":\"false\"}"), "enabled");
        expectField(api.json(operator, "POST", "/api/accounts/" + customerId + "/enabled", "{\"enabled\":0}"), "enabled");
        expectField(api.json(operator, "POST", "/api/accounts", account("rules-new3", "null", "null").replace("\"CUSTOMER\"", "2")), "role");
        expectField(api.json(operator, "POST", "/api/accounts", account("rules-new3", "null", "null").replace("\"CUSTOMER\"", "\"king\"")), "role");
        var message = body(api.json(customer, "POST", "/api/servers", order(plan.id(), null, "debian-12", "123"))).get("fieldErrors").get(0);
        assertThat(message.get("message").asString()).isEqualTo("expected a string, not a whole number");
        // Not JSON at all, or not an object: no field to name, but a clear 400.
        for (String notAnObject : new String[] {"{not json", "[]", "\"order\"", "42", "{\"planId\":1} {}", "{\"planId\":1,\"planId\":2}"}) {
            var response = api.json(customer, "POST", "/api/servers", notAnObject);
            assertThat(response.statusCode()).as(notAnObject).isEqualTo(400);
            assertThat(isApiError(response)).as(response.body()).isTrue();
        }
        var empty = api.json(customer, "POST", "/api/servers", "");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(body(empty).get("message").asString()).contains("JSON body");
    }

    @Test
    void unknownFieldsAreRefusedNamingTheField() {
        for (String extra : new String[] {"status", "ipv4", "nodeId", "ownerID", "PlanId"}) {
            var response = api.json(customer, "POST", "/api/servers", validOrder().replace("{", "{\"" + extra + "\":\"x\","));
            expectField(response, extra);
            assertThat(body(response).get("message").asString()).contains("unknown field").contains("hostname");
        }
        expectField(api.json(operator, "PUT", "/api/nodes/" + nodeId + "/overcommit", "{\"cpu\":1,\"memory\":1,\"disk\":1,\"cpuOvercommit\":2}"),
                "cpuOvercommit");
    }

    @Test
    void everyNumberAndStringIsBounded() {
        String big = String.valueOf(Long.MAX_VALUE);
        expectField(api.json(reseller, "POST", "/api/plans", planJson("\"p\"", Long.MAX_VALUE, 1024, 100)), "memoryMiB");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", PlanLimits.MAX_MEMORY_MIB + 1, 1024, 100)), "memoryMiB");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, Long.MAX_VALUE, 100)), "diskMiB");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, 1024, Long.MAX_VALUE)), "monthlyPriceCents");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, 1024, -1)), "monthlyPriceCents");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"bandwidthMbit\":0",
                "\"bandwidthMbit\":2147483647")), "bandwidthMbit");
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, 1024, 100).replace("\"vcpus\":1",
                "\"vcpus\":" + big)), "vcpus");
        expectField(api.json(operator, "POST", "/api/plans", planJson(quoted("n".repeat(65)), 256, 1024, 100)), "name");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(-1, 1024, 2048, 1, "\"oci\"")), "maxVcpusPerPlan");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, -1, 2048, 1, "\"oci\"")), "maxMemoryMiBPerPlan");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, 1024, Long.MAX_VALUE, 1, "\"oci\"")),
                "maxDiskMiBPerPlan");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, 1024, 2048, -1, "\"oci\"")), "maxServers");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, 1024, 2048, 100_001, "\"oci\"")), "maxServers");
        expectField(api.json(operator, "POST", "/api/accounts", account("rules-new4", quoted("d".repeat(10_000)), "null")), "displayName");
        expectField(api.json(operator, "POST", "/api/accounts", account("rules-new5", "null", quoted("e".repeat(10_000) + "@example.org"))),
                "email");
        expectField(api.json(operator, "POST", "/api/accounts", account("rules-new6", "null", quoted("e".repeat(250) + "@x.org"))), "email");
        expectField(api.json(operator, "POST", "/api/tokens", "{\"name\":" + quoted("t".repeat(65)) + "}"), "name");
        expectField(api.json(customer, "POST", "/api/servers", orderWithKey(KEY + " " + "c".repeat(100_000))), "sshKeys");
        expectField(api.json(customer, "POST", "/api/servers", orderWithKey(KEY + " " + "c".repeat(257))), "sshKeys");
        expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), "a".repeat(254), "debian-12", null)), "hostname");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"rootPassword\":\"Correct-Horse-42\"",
                "\"rootPassword\":" + quoted("Aa1!".repeat(51)))), "rootPassword");
        expectField(api.json(operator, "GET", "/api/servers?offset=-1", null), "offset");
        expectField(api.json(operator, "GET", "/api/servers?limit=1001", null), "limit");
        expectField(api.json(operator, "GET", "/api/audit?limit=-1", null), "limit");
        expectField(api.json(operator, "GET", "/api/servers?limit=99999999999", null), "limit");
        expectField(api.json(operator, "GET", "/api/accounts?offset=abc", null), "offset");
        // More than a megabyte is refused before it is read.
        var huge = api.json(customer, "POST", "/api/servers", validOrder().replace("\"sshKeys\":[]", "\"sshKeys\":[" + quoted("k".repeat(1_100_000)) + "]"));
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(isApiError(huge)).isTrue();
        // The largest plan is accepted: the bounds are where they say.
        var largest = api.json(operator, "POST", "/api/plans", planJson("\"rules-largest\"", PlanLimits.MAX_MEMORY_MIB, PlanLimits.MAX_DISK_MIB,
                PlanLimits.MAX_MONTHLY_PRICE_CENTS).replace("\"vcpus\":1", "\"vcpus\":" + PlanLimits.MAX_VCPUS));
        assertThat(largest.statusCode()).as(largest.body()).isEqualTo(201);
        jdbc.sql("delete from audit_log where target_type = 'plan' and target_id = ?").param(body(largest).get("id").asString()).update();
        jdbc.sql("delete from plan where id = ?").param(body(largest).get("id").asLong()).update();
    }

    @Test
    void aPlansTrafficFieldsAreOptionalAndBounded() {
        String traffic = planJson("\"rules-traffic\"", 256, 1024, 100).replace("}", ",\"trafficAllowanceGb\":%d,\"overagePerGbCents\":%d}");
        expectField(api.json(operator, "POST", "/api/plans", traffic.formatted(-1, 0)), "trafficAllowanceGb");
        expectField(api.json(operator, "POST", "/api/plans", traffic.formatted(PlanLimits.MAX_TRAFFIC_ALLOWANCE_GB + 1, 0)), "trafficAllowanceGb");
        expectField(api.json(operator, "POST", "/api/plans", traffic.formatted(10, -1)), "overagePerGbCents");
        expectField(api.json(operator, "POST", "/api/plans", traffic.formatted(10, PlanLimits.MAX_OVERAGE_PER_GB_CENTS + 1)), "overagePerGbCents");
        expectField(api.json(operator, "POST", "/api/plans", traffic.formatted(10, 1).replace("10,", "\"10\",")), "trafficAllowanceGb");
        var largest = api.json(operator, "POST", "/api/plans", traffic.formatted(PlanLimits.MAX_TRAFFIC_ALLOWANCE_GB, PlanLimits.MAX_OVERAGE_PER_GB_CENTS));
        assertThat(largest.statusCode()).as(largest.body()).isEqualTo(201);
        assertThat(body(largest).get("trafficAllowanceGb").asLong()).isEqualTo(PlanLimits.MAX_TRAFFIC_ALLOWANCE_GB);
        // Without them (as before they existed): unmetered.
        var unmetered = api.json(operator, "POST", "/api/plans", planJson("\"rules-unmetered\"", 256, 1024, 100));
        assertThat(unmetered.statusCode()).as(unmetered.body()).isEqualTo(201);
        assertThat(body(unmetered).get("trafficAllowanceGb").asLong()).isZero();
        for (var created : java.util.List.of(largest, unmetered)) {
            jdbc.sql("delete from audit_log where target_type = 'plan' and target_id = ?").param(body(created).get("id").asString()).update();
            jdbc.sql("delete from plan where id = ?").param(body(created).get("id").asLong()).update();
        }
    }

    @Test
    void errorFieldNamesAreTheRequestsJsonNames() {
        expectField(api.json(operator, "POST", "/api/plans", planJson("\"p\"", 256, 1024, -5)), "monthlyPriceCents");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("Correct-Horse-42", "weak")), "rootPassword");
        expectField(api.json(customer, "POST", "/api/servers", order(plan.id(), "nokey", "debian-12", null).replace(",\"rootPassword\":\"Correct-Horse-42\"", "")),
                "rootPassword");
        expectField(api.json(customer, "POST", "/api/servers", validOrder().replace("\"planId\":" + plan.id(), "\"planId\":987654")), "planId");
        expectField(api.json(operator, "PUT", "/api/nodes/" + nodeId + "/overcommit", "{\"cpu\":100,\"memory\":1,\"disk\":1}"), "cpu");
        expectField(api.json(operator, "PUT", "/api/resellers/" + resellerId + "/grant", grant(1, 1024, 2048, 1, "\"vax\"")), "backends");
        expectField(api.json(customer, "POST", "/api/servers/1/resize", "{\"planId\":\"1\"}"), "planId");
        // A grant for an account that is not a reseller names no field: the request as a whole is refused.
        var notReseller = api.json(operator, "PUT", "/api/resellers/" + customerId + "/grant", grant(1, 1024, 2048, 1, "\"oci\""));
        assertThat(notReseller.statusCode()).isEqualTo(400);
        assertThat(isApiError(notReseller)).isTrue();
        assertThat(fields(notReseller)).isEmpty();
    }

    @Test
    void unknownPathsAndWrongMethodsUnderApiAreJson() {
        for (String path : new String[] {"/api/nonexistent", "/api/servers/1/nonexistent", "/api", "/api/servers/1/start/x"}) {
            var response = api.json(operator, "GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(isApiError(response)).as(response.body()).isTrue();
        }
        var getOnPost = api.json(operator, "GET", "/api/servers/1/start", null);
        assertThat(getOnPost.statusCode()).isEqualTo(405);
        assertThat(isApiError(getOnPost)).as(getOnPost.body()).isTrue();
        assertThat(getOnPost.headers().firstValue("Allow")).contains("POST");
        var deletePlans = api.json(operator, "DELETE", "/api/plans", null);
        assertThat(deletePlans.statusCode()).isEqualTo(405);
        assertThat(isApiError(deletePlans)).isTrue();
        var unauthenticated = api.json(null, "GET", "/api/nonexistent", null);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(isApiError(unauthenticated)).isTrue();
    }

    private void expectField(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(isApiError(response)).as(response.body()).isTrue();
        assertThat(fields(response)).as(response.body()).contains(field);
    }

    private String validOrder() {
        return order(plan.id(), "rules-host", "debian-12", null);
    }

    private String orderWithKey(String key) {
        return validOrder().replace("\"sshKeys\":[]", "\"sshKeys\":[" + quoted(key) + "]");
    }

    private static String order(long planId, String hostname, String template, String rawHostname) {
        return "{\"planId\":%d,\"hostname\":%s,\"template\":%s,\"rootPassword\":\"Correct-Horse-42\",\"sshKeys\":[]}"
                .formatted(planId, rawHostname != null ? rawHostname : quoted(hostname), quoted(template));
    }

    private static String planJson(String name, long memory, long disk, long price) {
        return "{\"name\":%s,\"backend\":\"oci\",\"vcpus\":1,\"memoryMiB\":%d,\"diskMiB\":%d,\"bandwidthMbit\":0,\"monthlyPriceCents\":%d}"
                .formatted(name, memory, disk, price);
    }

    private static String account(String username, String displayName, String email) {
        return "{\"role\":\"CUSTOMER\",\"username\":\"%s\",\"displayName\":%s,\"email\":%s,\"password\":\"%s\"}"
                .formatted(username, displayName, email, Tenants.PASSWORD);
    }

    private static String grant(long vcpus, long memory, long disk, long servers, String backend) {
        return "{\"maxVcpusPerPlan\":%d,\"maxMemoryMiBPerPlan\":%d,\"maxDiskMiBPerPlan\":%d,\"maxServers\":%d,\"backends\":[%s]}"
                .formatted(vcpus, memory, disk, servers, backend);
    }

    /** As a JSON string; a lone surrogate as its JSON escape (raw, it would not survive the UTF-8 encoding). */
    static String quoted(String text) {
        return ApiHttp.JSON.writeValueAsString(text).replace("\ud800", "\\ud800");
    }
}
