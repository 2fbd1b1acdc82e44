package dev.slice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobKind;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.account.ApiTokenService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SliceSpringTest
class ServerActionsTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e/9G0YrcjOGOSfjUcJJQjKOreRLGnciC1KaxyHVA alice@example";

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;
    @Autowired JobService jobs;
    @Autowired BulkPowerActions bulk;
    @Autowired ApiTokenService tokens;
    @LocalServerPort int port;

    Actor reseller;
    Actor customer;
    Plan small;
    long serverId;

    @BeforeEach
    void activeServer() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "r" + suffix);
        customer = Tenants.customer(accounts, reseller, "c" + suffix);
        small = Tenants.plan(plans, reseller, "small", 1, 256, 1024);
        serverId = orders.order(customer, new OrderRequest(small.id(), "app", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
    }

    @Test
    void reinstallReplacesTheGuestWithNewCredentials() {
        String oldHash = driver.guest(servers.get(customer, serverId).guestId()).spec().credentials().rootPasswordHash();
        servers.reinstall(customer, serverId, "debian-12", "Another-Horse-43", List.of(KEY));
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.REINSTALLING);
        worker.runDue();
        Server server = servers.get(customer, serverId);
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        var credentials = driver.guest(server.guestId()).spec().credentials();
        assertThat(credentials.rootPasswordHash()).startsWith("$6$").isNotEqualTo(oldHash);
        assertThat(credentials.sshAuthorizedKeys()).containsExactly(KEY);
        assertThat(driver.guests()).hasSize(1);
    }

    @Test
    void badReinstallInputChangesNothing() {
        assertThatThrownBy(() -> servers.reinstall(customer, serverId, "debian-12", "weak", List.of()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> servers.reinstall(customer, serverId, "debian-12", null, List.of("ssh-rsa nope")))
                .isInstanceOf(ValidationException.class);
        Server server = servers.get(customer, serverId);
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(server.activeJobId()).isNull();
    }

    @Test
    void resizeMovesToTheNewPlanWhenItFits() {
        Plan bigger = Tenants.plan(plans, reseller, "bigger", 2, 512, 2048);
        servers.resize(customer, serverId, bigger.id());
        worker.runDue();
        Server server = servers.get(customer, serverId);
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(server.planName()).isEqualTo("bigger");
        assertThat(driver.guest(server.guestId()).spec().resources().memoryMiB()).isEqualTo(512);
        assertThat(server.powerState()).isEqualTo(PowerState.RUNNING);

        // A plan as large as the whole node cannot fit next to any other server: the resize is refused at once.
        orders.order(customer, new OrderRequest(small.id(), "neighbour", "debian-12", "Correct-Horse-42", List.of(), null));
        Plan wholeNode = Tenants.plan(plans, reseller, "whole-node", 4, 8192, 102_400);
        assertThatThrownBy(() -> servers.resize(customer, serverId, wholeNode.id()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("capacity");
        assertThat(servers.get(customer, serverId).status()).as("nothing changed").isEqualTo(ServerStatus.ACTIVE);
        assertThat(servers.get(customer, serverId).planName()).isEqualTo("bigger");
    }

    @Test
    void anOperatorsBulkStopReportsEachServerAndOneRefusalStopsNoOther() {
        long second = orders.order(customer, new OrderRequest(small.id(), "app2", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        servers.suspend(reseller, second);
        worker.runDue();
        Actor operator = Tenants.operator(accounts);
        List<Server> targets = List.of(servers.get(operator, serverId), servers.get(operator, second));
        assertThatThrownBy(() -> bulk.run(reseller, BulkPowerActions.Power.STOP, targets))
                .isInstanceOf(dev.slice.error.ForbiddenException.class);

        List<BulkPowerActions.Result> results = bulk.run(operator, BulkPowerActions.Power.STOP, targets);
        assertThat(results).extracting(BulkPowerActions.Result::hostname).containsExactly("app", "app2");
        assertThat(results.get(0).queued()).isTrue();
        assertThat(results.get(1).queued()).isFalse();
        assertThat(results.get(1).error()).isEqualTo("cannot stop a server that is suspended");
        worker.runDue();
        assertThat(jobs.get(operator, results.get(0).jobId()).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.STOPPED);
        // The job log's search: by kind and by server, within what the caller may see.
        var stops = jobs.page(operator, dev.slice.search.SearchText.parse("q", "stop"), JobService.NEWEST_FIRST, 0, 100);
        assertThat(stops).extracting(dev.slice.job.Job::id).contains(results.get(0).jobId());
        assertThat(jobs.page(customer, dev.slice.search.SearchText.parse("q", "#" + serverId), JobService.NEWEST_FIRST, 0, 100))
                .extracting(dev.slice.job.Job::serverId).containsOnly(serverId).isNotEmpty();
        Actor stranger = Tenants.customer(accounts, reseller, "stranger" + System.nanoTime() % 1000);
        assertThat(jobs.count(stranger, dev.slice.search.SearchText.parse("q", "#" + serverId))).isZero();
    }

    @Test
    void theBulkPowerApiActsOnEachServerTheOperatorNamesAndNamesBadFields() {
        long second = orders.order(customer, new OrderRequest(small.id(), "app2", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        servers.suspend(reseller, second);
        worker.runDue();
        ApiHttp api = new ApiHttp(port);
        String operatorToken = tokens.create(Tenants.operator(accounts), "bulk").token();
        String resellerToken = tokens.create(reseller, "bulk").token();
        String body = "{\"action\":\"stop\",\"serverIds\":[%d,%d,%d,%d]}".formatted(serverId, second, serverId, 987_654_321L);

        assertThat(api.json(resellerToken, "POST", "/api/servers/bulk-power", body).statusCode()).as("operators only").isEqualTo(403);
        HttpResponse<String> done = api.json(operatorToken, "POST", "/api/servers/bulk-power", body);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode results = ApiHttp.body(done);
        assertThat(results).as("the repeated id once, the unknown one reported").hasSize(3);
        assertThat(results.get(0).path("serverId").asLong()).isEqualTo(serverId);
        long stopJob = results.get(0).path("jobId").asLong();
        assertThat(results.get(1).path("jobId").isNull()).as("suspended: refused, not queued").isTrue();
        assertThat(results.get(1).path("error").asString()).isEqualTo("cannot stop a server that is suspended");
        assertThat(results.get(2).path("serverId").asLong()).isEqualTo(987_654_321L);
        assertThat(results.get(2).path("error").asString()).contains("987654321");
        worker.runDue();
        assertThat(jobs.get(customer, stopJob).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.STOPPED);

        assertThat(fields(api.json(operatorToken, "POST", "/api/servers/bulk-power",
                "{\"action\":\"explode\",\"serverIds\":[1]}"))).containsExactly("action");
        assertThat(fields(api.json(operatorToken, "POST", "/api/servers/bulk-power",
                "{\"action\":\"start\",\"serverIds\":[]}"))).containsExactly("serverIds");
        assertThat(fields(api.json(operatorToken, "POST", "/api/servers/bulk-power",
                "{\"action\":\"start\",\"serverIds\":[null]}"))).containsExactly("serverIds");
        String tooMany = java.util.stream.LongStream.rangeClosed(1, BulkPowerActions.MAX_SERVERS + 1).mapToObj(Long::toString)
                .collect(java.util.stream.Collectors.joining(","));
        assertThat(fields(api.json(operatorToken, "POST", "/api/servers/bulk-power",
                "{\"action\":\"start\",\"serverIds\":[" + tooMany + "]}"))).containsExactly("serverIds");
        assertThat(servers.get(customer, second).status()).as("refused requests changed nothing").isEqualTo(ServerStatus.SUSPENDED);
        assertThat(jobs.page(customer, dev.slice.search.SearchText.parse("q", "#" + second), JobService.NEWEST_FIRST, 0, 100))
                .as("no job for the refused server").extracting(dev.slice.job.Job::kind).doesNotContain(JobKind.STOP);
    }

    @Test
    void providersSuspendAndCustomersCannotStartASuspendedServer() {
        assertThatThrownBy(() -> servers.suspend(customer, serverId)).isInstanceOf(dev.slice.error.ForbiddenException.class);
        servers.suspend(reseller, serverId);
        worker.runDue();
        Server suspended = servers.get(customer, serverId);
        assertThat(suspended.status()).isEqualTo(ServerStatus.SUSPENDED);
        // The fake backend can save machines: the provider's suspension saved it rather than pulling the plug.
        assertThat(suspended.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThatThrownBy(() -> servers.start(customer, serverId)).isInstanceOf(ConflictException.class);
        servers.unsuspend(reseller, serverId);
        worker.runDue();
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
    }

    @Test
    void hardPowerOffAndResetAreJobsOfTheirOwn() {
        servers.powerOff(customer, serverId);
        worker.runDue();
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().kind()).isEqualTo(JobKind.POWER_OFF);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.STOPPED);

        // stop?force=true is the same hard power-off.
        servers.reset(customer, serverId);
        worker.runDue();
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().kind()).isEqualTo(JobKind.RESET);
        assertThat(servers.get(customer, serverId).powerState()).as("a reset starts a stopped guest").isEqualTo(PowerState.RUNNING);
        servers.stop(customer, serverId, true);
        worker.runDue();
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().kind()).isEqualTo(JobKind.POWER_OFF);

        int resetsBefore = driver.resets.get();
        servers.reset(customer, serverId);
        worker.runDue();
        assertThat(driver.resets.get()).isEqualTo(resetsBefore + 1);
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);

        servers.suspend(reseller, serverId);
        assertThatThrownBy(() -> servers.reset(customer, serverId)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> servers.powerOff(customer, serverId)).isInstanceOf(ConflictException.class);
    }

    @Test
    void actionsNeedTheRightStatusAndOwner() {
        Actor stranger = Tenants.customer(accounts, reseller, "s" + System.nanoTime() % 1_000_000);
        assertThatThrownBy(() -> servers.stop(stranger, serverId, false)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> servers.get(stranger, serverId)).isInstanceOf(NotFoundException.class);
        servers.delete(customer, serverId);
        worker.runDue();
        assertThatThrownBy(() -> servers.start(customer, serverId)).isInstanceOf(NotFoundException.class);
        long failedLater = orders.order(customer, new OrderRequest(small.id(), "late", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        assertThatThrownBy(() -> servers.reboot(customer, failedLater)).isInstanceOf(ConflictException.class);
    }

    private static List<String> fields(HttpResponse<String> response) {
        return ApiHttp.fieldErrors(response);
    }
}
