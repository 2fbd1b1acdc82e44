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
    long aliceId;
    long bobId;
    long carolId;
    long resellerBId;
    Plan planA;
    Plan planB;

    @BeforeAll
    void tenants() {
        Actor op = Tenants.operator(accounts);
        Actor ra = Tenants.reseller(accounts, plans, "resa");
        Actor rb = Tenants.reseller(accounts, plans, "resb");
        operator = token(op);
        resellerA = token(ra);
        resellerB = token(rb);
        Actor aliceActor = Tenants.customer(accounts, ra, "alice");
        Actor bobActor = Tenants.customer(accounts, ra, "bob");
        Actor carolActor = Tenants.customer(accounts, rb, "carol");
        alice = token(aliceActor);
        bob = token(bobActor);
        carol = token(carolActor);
        aliceId = aliceActor.accountId();
        bobId = bobActor.accountId();
        carolId = carolActor.accountId();
        resellerBId = rb.accountId();
        planA = Tenants.plan(plans, ra, "a-small", 1, 256, 1024);
        planB = Tenants.plan(plans, rb, "b-small", 1, 256, 1024);
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
    void aResellerCannotManageOrSignInAsAnotherResellersCustomer() throws Exception {
        for (String path : new String[] {"/password-reset", "/sign-in-as", "/enabled", "/password"}) {
            String body = path.equals("/enabled") ? "{\"enabled\":false}" : "{\"password\":\"Taken-Over-77\"}";
            var refused = call(resellerA, "POST", "/api/accounts/" + carolId + path, body);
            assertThat(refused.statusCode()).as(path).isEqualTo(404);
            assertThat(refused.body()).as(path).doesNotContain("carol");
        }
        assertThat(call(resellerA, "PATCH", "/api/accounts/" + carolId, "{\"displayName\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(call(resellerA, "DELETE", "/api/accounts/" + carolId, null).statusCode()).isEqualTo(404);
        assertThat(call(resellerA, "POST", "/api/accounts/" + resellerBId + "/sign-in-as", null).statusCode()).isEqualTo(404);
        // A customer sees itself but manages nobody, itself included; another customer is not there at all.
        assertThat(call(bob, "POST", "/api/accounts/" + bobId + "/password-reset", null).statusCode()).isEqualTo(403);
        assertThat(call(bob, "POST", "/api/accounts/" + bobId + "/sign-in-as", null).statusCode()).isEqualTo(403);
        assertThat(call(bob, "DELETE", "/api/accounts/" + bobId, null).statusCode()).isEqualTo(403);
        assertThat(call(bob, "POST", "/api/accounts/" + aliceId + "/password-reset", null).statusCode()).isEqualTo(404);
        // Carol is untouched: her token and password still work, her name is hers.
        var me = call(carol, "GET", "/api/me", null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(body(me).get("displayName").asString()).isEqualTo("carol");
        assertThat(body(me).get("mustChangePassword").asBoolean()).isFalse();

        // Her own reseller may; sign-in-as with a token is refused as a request (it switches a panel session).
        var reset = call(resellerB, "POST", "/api/accounts/" + carolId + "/password-reset", null);
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(body(reset).get("oneTimePassword").asString()).hasSize(19);
        assertThat(body(call(carol, "GET", "/api/me", null)).get("mustChangePassword").asBoolean()).isTrue();
        var viaToken = call(resellerB, "POST", "/api/accounts/" + carolId + "/sign-in-as", null);
        assertThat(viaToken.statusCode()).isEqualTo(400);
        assertThat(viaToken.body()).contains("panel session");
        String oneTime = body(reset).get("oneTimePassword").asString();
        assertThat(call(carol, "POST", "/api/me/password", """
                {"currentPassword": "%s", "newPassword": "Brand-New-Pass-8"}""".formatted(oneTime)).statusCode()).isEqualTo(204);
        assertThat(body(call(carol, "GET", "/api/me", null)).get("mustChangePassword").asBoolean()).isFalse();
    }

    @Test
    void deletingAnAccountThatStillHasCustomersIsAConflictThatSaysWhy() throws Exception {
        var refused = call(operator, "DELETE", "/api/accounts/" + resellerBId, null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(body(refused).get("message").asString()).contains("resb still has 1 customer (carol)");
        var badEdit = call(resellerB, "PATCH", "/api/accounts/" + carolId, "{\"email\":\"nope\"}");
        assertThat(badEdit.statusCode()).isEqualTo(400);
        assertThat(body(badEdit).get("fieldErrors").findValuesAsString("field")).containsExactly("email");
        var badPassword = call(carol, "POST", "/api/me/password", "{\"currentPassword\":\"wrong\",\"newPassword\":\"x\"}");
        assertThat(badPassword.statusCode()).isEqualTo(400);
        assertThat(body(badPassword).get("fieldErrors").findValuesAsString("field")).containsExactly("currentPassword", "newPassword");
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

    /**
     * The list's search, filters and order narrow what the caller may see and never widen it: reseller B's search for
     * reseller A's servers finds nothing, by hostname, address or owner; bad values are 400s naming the parameter.
     */
    @Test
    void searchingFilteringAndSortingServersStaysWithinWhatTheCallerMaySee() throws Exception {
        for (String[] order : new String[][] {{alice, "find-web-a"}, {alice, "find-db-a"}, {bob, "find-web-b"}}) {
            assertThat(call(order[0], "POST", "/api/servers", """
                    {"planId": %d, "hostname": "%s", "template": "debian-12", "rootPassword": "Correct-Horse-42"}"""
                    .formatted(planA.id(), order[1])).statusCode()).isEqualTo(202);
        }
        assertThat(call(operator, "POST", "/api/servers", """
                {"planId": %d, "hostname": "find-web-c", "template": "debian-12", "rootPassword": "Correct-Horse-42", "ownerId": %d}"""
                .formatted(planB.id(), carolId)).statusCode()).isEqualTo(202);
        worker.runDue();

        assertThat(hostnames(resellerA, "q=find-&sort=hostname")).containsExactly("find-db-a", "find-web-a", "find-web-b");
        assertThat(hostnames(resellerA, "q=FIND-WEB&sort=-hostname")).containsExactly("find-web-b", "find-web-a");
        assertThat(hostnames(resellerA, "q=find-&sort=-owner")).containsExactly("find-web-b", "find-db-a", "find-web-a");
        assertThat(hostnames(resellerB, "q=find-")).containsExactly("find-web-c");
        assertThat(hostnames(operator, "q=find-web&sort=hostname")).containsExactly("find-web-a", "find-web-b", "find-web-c");
        assertThat(hostnames(alice, "q=find-")).containsExactlyInAnyOrder("find-web-a", "find-db-a");
        // By owner's name and by address, within the caller's own tenants only.
        assertThat(hostnames(resellerA, "q=carol")).isEmpty();
        assertThat(hostnames(resellerB, "q=alice")).isEmpty();
        assertThat(hostnames(resellerA, "q=bob")).contains("find-web-b").doesNotContain("find-web-a", "find-db-a");
        JsonNode webA = body(call(alice, "GET", "/api/servers?q=find-web-a", null)).get("items").get(0);
        String address = webA.get("ipv4").asString();
        assertThat(hostnames(resellerA, "q=" + address)).contains("find-web-a");
        assertThat(hostnames(resellerB, "q=" + address)).isEmpty();
        assertThat(call(resellerB, "GET", "/api/servers?owner=" + aliceId, null).statusCode()).isEqualTo(404);
        assertThat(hostnames(resellerA, "owner=" + aliceId + "&q=find-&sort=hostname")).containsExactly("find-db-a", "find-web-a");
        // Filters, and the total counts what matched.
        var active = body(call(resellerA, "GET", "/api/servers?q=find-&status=active&backend=oci&limit=1", null));
        assertThat(active.get("total").asLong()).isEqualTo(3);
        assertThat(active.get("items")).hasSize(1);
        assertThat(hostnames(resellerA, "q=find-&status=suspended")).isEmpty();
        assertThat(hostnames(resellerA, "q=find-&backend=qemu")).isEmpty();
        // The wildcards are text: no hostname has a per cent sign or an underscore.
        assertThat(hostnames(operator, "q=%25")).isEmpty();
        assertThat(hostnames(operator, "q=_")).isEmpty();

        for (String[] bad : new String[][] {{"status=bogus", "status"}, {"status=deleted", "status"}, {"backend=vmware", "backend"},
                {"owner=abc", "owner"}, {"owner=0", "owner"}, {"sort=password", "sort"}, {"sort=--hostname", "sort"},
                {"q=a%00b", "q"}, {"q=a%E2%80%AEb", "q"}, {"q=" + "x".repeat(101), "q"}}) {
            var refused = call(resellerA, "GET", "/api/servers?" + bad[0], null);
            assertThat(refused.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(refused.body()).as(bad[0]).contains("\"" + bad[1] + "\"");
        }
    }

    private java.util.List<String> hostnames(String token, String query) throws Exception {
        var response = call(token, "GET", "/api/servers?" + query, null);
        assertThat(response.statusCode()).as(query).isEqualTo(200);
        java.util.List<String> names = new java.util.ArrayList<>();
        body(response).get("items").forEach(item -> names.add(item.get("hostname").asString()));
        return names;
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
