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

/**
 * Backups over real HTTP, against the test driver (which offers no Backups: the real ones are OciBackupsThroughJobsTest's):
 * 400 naming the field, 404 for another tenant's server, 409 where the backend writes none, 403 on another's plan.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupApiTest {
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
    Plan plan;
    long serverId;

    @BeforeAll
    void server() {
        api = new ApiHttp(port);
        Actor res = Tenants.reseller(accounts, plans, "bak-res");
        Actor cus = Tenants.customer(accounts, res, "bak-cus");
        Actor other = Tenants.customer(accounts, res, "bak-other");
        reseller = tokens.create(res, "bak").token();
        customer = tokens.create(cus, "bak").token();
        stranger = tokens.create(other, "bak").token();
        plan = Tenants.plan(plans, res, "bak-small", 1, 256, 1024);
        serverId = orders.order(cus, new OrderRequest(plan.id(), "bakapi", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
    }

    @Test
    void badInputIsA400NamingTheField() {
        String base = "/api/servers/" + serverId + "/backups";
        for (String bad : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"" + "x".repeat(65) + "\"}", "{\"name\":\"a\\u0000b\"}"}) {
            HttpResponse<String> response = api.json(customer, "POST", base, bad);
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(isApiError(response)).isTrue();
            assertThat(fields(response)).containsExactly("name");
        }
        assertThat(fields(api.json(customer, "PUT", base + "/schedule", "{\"frequency\":\"hourly\",\"retention\":3}")))
                .containsExactly("frequency");
        for (String bad : new String[] {"{\"frequency\":\"daily\"}", "{\"frequency\":\"weekly\",\"retention\":0}",
                "{\"frequency\":\"daily\",\"retention\":101}"}) {
            HttpResponse<String> response = api.json(customer, "PUT", base + "/schedule", bad);
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            assertThat(fields(response)).containsExactly("retention");
        }
        HttpResponse<String> noBackup = api.json(customer, "POST", "/api/servers/" + serverId + "/restore", "{}");
        assertThat(noBackup.statusCode()).isEqualTo(400);
        assertThat(fields(noBackup)).containsExactly("backupId");
        assertThat(fields(api.json(reseller, "PUT", "/api/plans/" + plan.id() + "/backup-schedule", "{\"frequency\":\"monthly\"}")))
                .containsExactly("frequency");
        assertThat(api.json(customer, "PUT", "/api/plans/" + plan.id() + "/backup-schedule", "{\"frequency\":\"daily\",\"retention\":7}")
                .statusCode()).isEqualTo(403);
        assertThat(api.json(reseller, "PUT", "/api/plans/" + plan.id() + "/backup-schedule", "{\"frequency\":\"daily\",\"retention\":7}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void anotherTenantSeesNothing() {
        String base = "/api/servers/" + serverId + "/backups";
        assertThat(api.json(stranger, "GET", base, null).statusCode()).isEqualTo(404);
        assertThat(api.json(stranger, "POST", base, "{\"name\":\"mine\"}").statusCode()).isEqualTo(404);
        assertThat(api.json(stranger, "PUT", base + "/schedule", "{\"frequency\":\"daily\",\"retention\":2}").statusCode()).isEqualTo(404);
        assertThat(api.json(customer, "POST", base + "/99999999/restore", null).statusCode()).isEqualTo(404);
        HttpResponse<String> listed = api.json(customer, "GET", base, null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(body(listed).path("backups").size()).isZero();
        assertThat(body(api.json(reseller, "GET", base, null)).path("supported").asBoolean()).isFalse();
    }

    @Test
    void aBackendWithoutBackupsIsA409() {
        HttpResponse<String> response = api.json(customer, "POST", "/api/servers/" + serverId + "/backups", "{\"name\":\"nightly\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(body(response).path("message").asString()).contains("cannot write backups");
    }
}
