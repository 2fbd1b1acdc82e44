package dev.slice.api;

import static dev.slice.testing.ApiHttp.body;
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
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The owner's suspend and resume over real HTTP: 202 with the job, 409 with the reason, 404 for a stranger. */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuestSuspendApiTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;

    ApiHttp api;
    String customer;
    String stranger;
    long serverId;

    @BeforeAll
    void server() {
        api = new ApiHttp(port);
        Actor res = Tenants.reseller(accounts, plans, "susp-res");
        Actor cus = Tenants.customer(accounts, res, "susp-cus");
        customer = tokens.create(cus, "susp").token();
        stranger = tokens.create(Tenants.customer(accounts, res, "susp-other"), "susp").token();
        Plan plan = Tenants.plan(plans, res, "susp-small", 1, 256, 1024);
        serverId = orders.order(cus, new OrderRequest(plan.id(), "suspapi", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
    }

    @Test
    void suspendThenResume() {
        String base = "/api/servers/" + serverId;
        assertThat(api.json(stranger, "POST", base + "/suspend-guest", null).statusCode()).isEqualTo(404);

        HttpResponse<String> suspend = api.json(customer, "POST", base + "/suspend-guest", null);
        assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(202);
        assertThat(body(suspend).path("jobId").asLong()).isPositive();
        worker.runDue();
        assertThat(body(api.json(customer, "GET", base, null)).path("powerState").asString()).isEqualTo("SUSPENDED");

        HttpResponse<String> again = api.json(customer, "POST", base + "/suspend-guest", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(isApiError(again)).isTrue();
        assertThat(body(again).path("message").asString()).contains("only a running guest can be suspended");

        assertThat(api.json(customer, "POST", base + "/resume-guest", null).statusCode()).isEqualTo(202);
        worker.runDue();
        assertThat(body(api.json(customer, "GET", base, null)).path("powerState").asString()).isEqualTo("RUNNING");
        assertThat(api.json(customer, "POST", base + "/resume-guest", null).statusCode()).isEqualTo(409);
        assertThat(api.json(customer, "POST", "/api/servers/99999999/suspend-guest", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBackendThatCannotSuspendIsAConflict() {
        driver.suspendable = false;
        try {
            HttpResponse<String> refused = api.json(customer, "POST", "/api/servers/" + serverId + "/suspend-guest", null);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(body(refused).path("message").asString()).contains("this server's backend cannot suspend");
        } finally {
            driver.suspendable = true;
        }
    }
}
