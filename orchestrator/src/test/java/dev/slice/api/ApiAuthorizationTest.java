package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.job.JobWorker;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenancy through the REST API over HTTP with API tokens: a customer cannot read or act on another
 * customer's server (404, nothing leaks), resellers see only their customers', operators everything.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAuthorizationTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired JobWorker worker;

    String operator;
    String resellerA;
    String resellerB;
    String alice;
    String bob;
    String carol;
    Plan planA;

    @BeforeAll
    void tenants() {
        Actor op = Tenants.operator(accounts);
        Actor ra = Tenants.reseller(accounts, plans, "resa");
        Actor rb = Tenants.reseller(accounts, plans, "resb");
        operator = token(op);
        resellerA = token(ra);
        resellerB = token(rb);
        alice = token(Tenants.customer(accounts, ra, "alice"));
        bob = token(Tenants.customer(accounts, ra, "bob"));
        carol = token(Tenants.customer(accounts, rb, "carol"));
        planA = Tenants.plan(plans, ra, "a-small", 1, 256, 1024);
    }

    private String token(Actor actor) {
        return tokens.create(actor, "test").token();
    }

    @Test
    void customersOnlyEverSeeAndTouchTheirOwnServers() throws Exception {
        var ordered = call(alice, "POST", "/api/servers", """
                {"planId": %d, "hostname": "alice1", "template": "debian-12", "rootPassword": "Correct-Horse-42"}"""
                .formatted(planA.id()));
        assertThat(ordered.statusCode()).isEqualTo(202);
        long serverId = body(ordered).get("serverId").asLong();
        long jobId = body(ordered).get("jobId").asLong();
        worker.runDue();

        assertThat(call(alice, "GET", "/api/servers/" + serverId, null).statusCode()).isEqualTo(200);
        assertThat(body(call(alice, "GET", "/api/servers/" + serverId, null)).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(call(alice, "GET", "/api/jobs/" + jobId, null).statusCode()).isEqualTo(200);

        for (String other : new String[] {bob, carol, resellerB}) {
            var read = call(other, "GET", "/api/servers/" + serverId, null);
            assertThat(read.statusCode()).isEqualTo(404);
            assertThat(read.body()).doesNotContain("alice1");
            assertThat(call(other, "GET", "/api/jobs/" + jobId, null).statusCode()).isEqualTo(404);
            assertThat(call(other, "GET", "/api/servers/" + serverId + "/jobs", null).statusCode()).isEqualTo(404);
            assertThat(call(other, "POST", "/api/servers/" + serverId + "/stop", null).statusCode()).isEqualTo(404);
            assertThat(call(other, "POST", "/api/servers/" + serverId + "/reboot", null).statusCode()).isEqualTo(404);
            assertThat(call(other, "POST", "/api/servers/" + serverId + "/reinstall",
                    "{\"template\":\"debian-12\",\"rootPassword\":\"Correct-Horse-42\"}").statusCode()).isEqualTo(404);
            assertThat(call(other, "DELETE", "/api/servers/" + serverId, null).statusCode()).isEqualTo(404);
            assertThat(call(other, "GET", "/api/servers", null).body()).doesNotContain("alice1");
            assertThat(call(other, "GET", "/api/jobs", null).body()).doesNotContain("\"id\":" + jobId + ",");
        }
        // Alice's reseller and the operator may see and act.
        assertThat(call(resellerA, "GET", "/api/servers/" + serverId, null).statusCode()).isEqualTo(200);
        assertThat(call(operator, "GET", "/api/servers/" + serverId, null).statusCode()).isEqualTo(200);
        assertThat(call(resellerA, "POST", "/api/servers/" + serverId + "/reboot", null).statusCode()).isEqualTo(202);
        worker.runDue();
        // The server is still alice's and active after all the refused calls.
        assertThat(body(call(alice, "GET", "/api/servers/" + serverId, null)).get("status").asString()).isEqualTo("ACTIVE");
    }

    @Test
    void anonymousAndBadTokensAreRejected() throws Exception {
        assertThat(call(null, "GET", "/api/servers", null).statusCode()).isEqualTo(401);
        var bad = call("slc_not-a-real-token", "GET", "/api/servers", null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(body(bad).get("error").asString()).isEqualTo("unauthenticated");
    }

    @Test
    void operatorOnlyEndpointsAreForbiddenToOthers() throws Exception {
        for (String path : new String[] {"/api/nodes", "/api/drivers", "/api/audit", "/api/reconciler/findings"}) {
            assertThat(call(alice, "GET", path, null).statusCode()).as(path).isEqualTo(403);
            assertThat(call(resellerA, "GET", path, null).statusCode()).as(path).isEqualTo(403);
            assertThat(call(operator, "GET", path, null).statusCode()).as(path).isEqualTo(200);
        }
        var drivers = body(call(operator, "GET", "/api/drivers", null));
        assertThat(drivers.toString()).contains("in-memory test driver").contains("no driver-libvirt module opened a qemu driver");
        assertThat(call(alice, "POST", "/api/plans", """
                {"name":"mine","backend":"oci","vcpus":1,"memoryMiB":256,"diskMiB":1024,"bandwidthMbit":0,"monthlyPriceCents":1}""")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void validationErrorsNameTheFieldAndReason() throws Exception {
        var response = call(bob, "POST", "/api/servers", """
                {"planId": %d, "hostname": "Bad Name!", "template": "debian-12", "rootPassword": "weak"}""".formatted(planA.id()));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = body(response);
        assertThat(error.get("error").asString()).isEqualTo("validation");
        assertThat(error.get("fieldErrors").findValuesAsString("field")).contains("hostname", "rootPassword");
        assertThat(call(bob, "POST", "/api/servers", "{not json").statusCode()).isEqualTo(400);
        assertThat(call(bob, "GET", "/api/servers", null).body()).doesNotContain("Bad Name");
    }

    @Test
    void theApiIsDescribedWithOpenApi() throws Exception {
        var spec = call(null, "GET", "/api/openapi", null);
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).contains("\"/api/servers\"").contains("\"/api/servers/{id}/reinstall\"").contains("bearer");
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }
}
