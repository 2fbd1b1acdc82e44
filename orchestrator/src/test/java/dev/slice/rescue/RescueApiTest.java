package dev.slice.rescue;

import static dev.slice.testing.ApiHttp.fieldErrors;
import static dev.slice.testing.ApiHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.driver.GuestId;
import dev.slice.job.JobKind;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.ApiHttp;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Rescue over real HTTP on the in-memory driver: entering answers 202 with root's one-time password (its hash, not the
 * password, goes to the driver and the job), the status is rescue, a second enter and a leave of an active server are
 * 409, a bad SSH key is a 400 naming it, a backend without rescue is a 409, a stranger gets 404; leaving makes the
 * server active with the guest's own system. The same drivers on real guests: UmlRescueTest, OciRescueTest.
 */
@SliceSpringTest
class RescueApiTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBPkqvlmU6a+JZC1wIuUUjuFuaG6Ca1f1lKhLu1uRuL7 rescue@test";

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;

    ApiHttp api;
    Actor reseller;
    Actor owner;
    String customer;
    String stranger;
    long serverId;
    String base;

    @BeforeEach
    void runningServer() {
        api = new ApiHttp(port);
        String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
        reseller = Tenants.reseller(accounts, plans, "rr" + suffix);
        owner = Tenants.customer(accounts, reseller, "rc" + suffix);
        customer = tokens.create(owner, "rescue").token();
        stranger = tokens.create(Tenants.customer(accounts, reseller, "ro" + suffix), "rescue").token();
        Plan plan = Tenants.plan(plans, reseller, "rescue-small", 1, 256, 1024);
        serverId = orders.order(owner, new OrderRequest(plan.id(), "broken", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        base = "/api/servers/" + serverId;
    }

    @AfterEach
    void offerRescueAgain() {
        driver.rescuable = true;
    }

    @Test
    void enterShowsTheOneTimePasswordOnceAndLeaveBootsTheServersOwnSystem() {
        assertThat(api.json(stranger, "POST", base + "/rescue", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> entered = api.json(customer, "POST", base + "/rescue", "{\"sshKeys\":[\"" + KEY + "\"]}");
        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(202);
        String password = body(entered).path("rootPassword").asString();
        assertThat(password).hasSize(20).matches("[A-Za-z2-9]+");
        assertThat(body(entered).path("disk").path("device").asString()).isEqualTo("/dev/fakeb");
        assertThat(body(api.json(customer, "GET", base, null)).path("status").asString()).isEqualTo("RESCUE");
        worker.runDue();

        var job = jobs.forServer(owner, serverId, 0, 1).getFirst();
        assertThat(job.kind()).isEqualTo(JobKind.RESCUE_ENTER);
        assertThat(job.status()).as(job.error()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.params()).doesNotContain(password);
        GuestId guest = GuestId.of(servers.get(owner, serverId).guestId());
        var spec = driver.inRescue.get(guest);
        assertThat(spec.template()).isEqualTo("debian-12");
        assertThat(spec.root().sshAuthorizedKeys()).containsExactly(KEY);
        String hash = spec.root().rootPasswordHash();
        assertThat(Sha2Crypt.sha512Crypt(password.getBytes(StandardCharsets.UTF_8), hash)).as("the hash is the password's").isEqualTo(hash);
        assertThat(api.json(customer, "GET", base, null).body()).doesNotContain(password);

        HttpResponse<String> again = api.json(customer, "POST", base + "/rescue", "{}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(body(again).path("message").asString()).contains("in rescue already");
        assertThat(api.json(customer, "POST", base + "/reboot", null).statusCode()).as("power actions reboot the rescue system").isEqualTo(202);
        worker.runDue();
        assertThat(driver.inRescue(guest)).isTrue();

        assertThat(api.json(stranger, "POST", base + "/rescue/leave", null).statusCode()).isEqualTo(404);
        HttpResponse<String> left = api.json(customer, "POST", base + "/rescue/leave", null);
        assertThat(left.statusCode()).as(left.body()).isEqualTo(202);
        worker.runDue();
        assertThat(jobs.forServer(owner, serverId, 0, 1).getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(servers.get(owner, serverId).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(driver.inRescue(guest)).isFalse();
        assertThat(driver.state(guest)).isEqualTo(dev.slice.driver.GuestState.RUNNING);

        HttpResponse<String> notInRescue = api.json(customer, "POST", base + "/rescue/leave", null);
        assertThat(notInRescue.statusCode()).isEqualTo(409);
        assertThat(body(notInRescue).path("message").asString()).contains("not in rescue");
    }

    @Test
    void badInputIsA400AndWrongStatesAre409sWithNothingChanged() {
        assertThat(fieldErrors(api.json(customer, "POST", base + "/rescue", "{\"sshKeys\":[\"not a key\"]}"))).contains("sshKeys");
        assertThat(api.json(customer, "POST", base + "/rescue", "{\"sshKeys\":\"one\"}").statusCode()).isEqualTo(400);
        assertThat(api.json(customer, "POST", base + "/rescue", "{not json").statusCode()).isEqualTo(400);
        assertThat(api.json(customer, "POST", base + "/rescue", null).statusCode()).as("no body").isEqualTo(400);
        assertThat(api.json(customer, "POST", "/api/servers/abc/rescue", "{}").statusCode()).isEqualTo(400);
        assertThat(api.json(customer, "POST", "/api/servers/99999999/rescue", "{}").statusCode()).isEqualTo(404);

        driver.rescuable = false;
        HttpResponse<String> none = api.json(customer, "POST", base + "/rescue", "{}");
        assertThat(none.statusCode()).isEqualTo(409);
        assertThat(body(none).path("message").asString()).contains("no rescue system");
        driver.rescuable = true;

        servers.stop(owner, serverId, false);
        HttpResponse<String> busy = api.json(customer, "POST", base + "/rescue", "{}");
        assertThat(busy.statusCode()).as("a job is queued").isEqualTo(409);
        worker.runDue();
        assertThat(servers.get(owner, serverId).status()).as("nothing changed by the refusals").isEqualTo(ServerStatus.ACTIVE);
        assertThat(servers.get(owner, serverId).activeJobId()).isNull();

        servers.suspend(reseller, serverId);
        worker.runDue();
        HttpResponse<String> suspended = api.json(customer, "POST", base + "/rescue", "{}");
        assertThat(suspended.statusCode()).isEqualTo(409);
        assertThat(body(suspended).path("message").asString()).contains("is suspended into rescue");
    }
}
