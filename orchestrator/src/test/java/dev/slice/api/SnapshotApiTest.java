package dev.slice.api;

import static dev.slice.testing.ApiHttp.body;
import static dev.slice.testing.ApiHttp.fields;
import static dev.slice.testing.ApiHttp.isApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Snapshots and hard power over real HTTP: 202 with the job, 400 naming the field, 409 on the plan's limit. */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotApiTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired JobWorker worker;

    ApiHttp api;
    String reseller;
    String customer;
    Plan plan;
    long serverId;

    @BeforeAll
    void server() {
        api = new ApiHttp(port);
        Actor res = Tenants.reseller(accounts, plans, "snap-res");
        Actor cus = Tenants.customer(accounts, res, "snap-cus");
        reseller = tokens.create(res, "snap").token();
        customer = tokens.create(cus, "snap").token();
        plan = Tenants.plan(plans, res, "snap-small", 1, 256, 1024);
        serverId = orders.order(cus, new OrderRequest(plan.id(), "snapapi", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
    }

    @Test
    void snapshotsWithinThePlansLimit() {
        String base = "/api/servers/" + serverId + "/snapshots";
        assertThat(api.json(reseller, "PUT", "/api/plans/" + plan.id() + "/snapshot-limit", "{\"snapshotLimit\":1}").statusCode())
                .isEqualTo(200);
        assertThat(body(api.json(customer, "GET", "/api/plans/" + plan.id() + "/snapshot-limit", null)).path("snapshotLimit").asInt())
                .isEqualTo(1);

        HttpResponse<String> taken = api.json(customer, "POST", base, "{\"name\":\"before\"}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(202);
        assertThat(body(taken).path("jobId").asLong()).isPositive();
        worker.runDue();
        HttpResponse<String> listed = api.json(customer, "GET", base, null);
        assertThat(body(listed).path("snapshots").get(0).path("status").asString()).isEqualTo("READY");
        assertThat(body(listed).path("limit").asInt()).isEqualTo(1);
        assertThat(body(listed).path("supported").asBoolean()).isTrue();

        HttpResponse<String> overLimit = api.json(customer, "POST", base, "{\"name\":\"after\"}");
        assertThat(overLimit.statusCode()).isEqualTo(409);
        assertThat(isApiError(overLimit)).as(overLimit.body()).isTrue();
        assertThat(body(overLimit).path("message").asString()).contains("allows 1 snapshot");

        long snapshotId = body(taken).path("snapshotId").asLong();
        assertThat(api.json(customer, "POST", base + "/" + snapshotId + "/revert", null).statusCode()).isEqualTo(202);
        worker.runDue();
        assertThat(api.json(customer, "DELETE", base + "/" + snapshotId, null).statusCode()).isEqualTo(202);
        worker.runDue();
        assertThat(body(api.json(customer, "GET", base, null)).path("snapshots").size()).isZero();
        assertThat(api.json(customer, "POST", base + "/" + snapshotId + "/revert", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badInputIsA400NamingTheField() {
        String base = "/api/servers/" + serverId + "/snapshots";
        for (String bad : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"" + "x".repeat(65) + "\"}", "{\"name\":\"a\\u0000b\"}"}) {
            HttpResponse<String> response = api.json(customer, "POST", base, bad);
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(isApiError(response)).isTrue();
            assertThat(fields(response)).containsExactly("name");
        }
        for (String bad : new String[] {"{}", "{\"snapshotLimit\":-1}", "{\"snapshotLimit\":101}", "{\"snapshotLimit\":\"many\"}"}) {
            HttpResponse<String> response = api.json(reseller, "PUT", "/api/plans/" + plan.id() + "/snapshot-limit", bad);
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(fields(response)).containsExactly("snapshotLimit");
        }
        assertThat(api.json(customer, "PUT", "/api/plans/" + plan.id() + "/snapshot-limit", "{\"snapshotLimit\":5}").statusCode())
                .isEqualTo(403);
        assertThat(api.json(customer, "POST", base + "/99999999/revert", null).statusCode()).isEqualTo(404);
    }

    @Test
    void hardPowerOffAndResetAreAcceptedAsJobs() {
        HttpResponse<String> off = api.json(customer, "POST", "/api/servers/" + serverId + "/power-off", null);
        assertThat(off.statusCode()).as(off.body()).isEqualTo(202);
        worker.runDue();
        HttpResponse<String> reset = api.json(customer, "POST", "/api/servers/" + serverId + "/reset", null);
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
        worker.runDue();
        assertThat(body(api.json(customer, "GET", "/api/servers/" + serverId, null)).path("powerState").asString()).isEqualTo("RUNNING");
        assertThat(api.json(customer, "POST", "/api/servers/99999999/reset", null).statusCode()).isEqualTo(404);
    }
}
