package dev.slice.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ValidationException;
import dev.slice.ipam.IpamService;
import dev.slice.job.Job;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.template.OsTemplate;
import dev.slice.template.TemplateService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@SliceSpringTest
class OrderFlowTest {
    static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e/9G0YrcjOGOSfjUcJJQjKOreRLGnciC1KaxyHVA alice@example";

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired IpamService ipam;
    @Autowired FakeDriver driver;
    @Autowired JdbcClient jdbc;
    @Autowired TemplateService templates;

    Actor reseller;
    Actor alice;
    Plan small;

    @BeforeEach
    void tenants() {
        driver.reset();
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "reseller" + suffix);
        alice = Tenants.customer(accounts, reseller, "alice" + suffix);
        small = Tenants.plan(plans, reseller, "small", 1, 512, 2048);
    }

    @Test
    void anOrderIsProvisionedStepByStepToAnActiveRunningServer() {
        OrderResult result = orders.order(alice, new OrderRequest(small.id(), "web1.example.com", "debian-12", "Correct-Horse-42",
                List.of(KEY), null));
        Server ordered = servers.get(alice, result.serverId());
        assertThat(ordered.status()).isEqualTo(ServerStatus.PROVISIONING);
        assertThat(ordered.activeJobId()).isEqualTo(result.jobId());

        assertThat(worker.runDue()).isEqualTo(1);

        Server server = servers.get(alice, result.serverId());
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(server.powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(server.ipv4()).startsWith("10.77.0.").isNotEqualTo("10.77.0.1");
        assertThat(server.activeJobId()).isNull();
        FakeDriver.Guest guest = driver.guest(server.guestId());
        assertThat(guest.spec().hostname()).isEqualTo("web1.example.com");
        assertThat(guest.spec().network().address()).isEqualTo(server.ipv4() + "/24");
        assertThat(guest.spec().network().gateway()).isEqualTo("10.77.0.1");
        assertThat(guest.spec().network().bridge()).isEqualTo("slicebr0");
        assertThat(guest.spec().credentials().rootPasswordHash()).startsWith("$6$").doesNotContain("Correct-Horse-42");
        assertThat(guest.spec().credentials().sshAuthorizedKeys()).containsExactly(KEY);

        Job job = jobs.get(alice, result.jobId());
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.steps()).allSatisfy(step -> assertThat(step.status()).isEqualTo("done"));
        assertThat(job.output()).contains("address 10.77.0.").contains("guest is running").contains("server is active");
    }

    @Test
    void stopStartRebootAndDeleteGoThroughJobs() {
        long id = orders.order(alice, new OrderRequest(small.id(), "db1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        String guest = servers.get(alice, id).guestId();

        servers.stop(alice, id, false);
        worker.runDue();
        assertThat(servers.get(alice, id).powerState()).isEqualTo(PowerState.STOPPED);
        assertThat(driver.guest(guest).state()).isEqualTo(dev.slice.driver.GuestState.STOPPED);

        servers.start(alice, id);
        worker.runDue();
        assertThat(servers.get(alice, id).powerState()).isEqualTo(PowerState.RUNNING);

        servers.reboot(alice, id);
        worker.runDue();
        assertThat(servers.get(alice, id).powerState()).isEqualTo(PowerState.RUNNING);

        servers.delete(alice, id);
        worker.runDue();
        assertThat(driver.guest(guest)).isNull();
        assertThat(ipam.allocationOf(id)).isEmpty();
        assertThat(jdbc.sql("select status from server where id = ?").param(id).query(String.class).single()).isEqualTo("deleted");
        assertThat(servers.page(alice, 0, 100)).extracting(Server::id).doesNotContain(id);
    }

    @Test
    void badInputIsRefusedWithTheFieldAndLeavesNothingBehind() {
        long serversBefore = count("server");
        long jobsBefore = count("job");
        expectField(r -> new OrderRequest(small.id(), "Not A Hostname!", "debian-12", "Correct-Horse-42", List.of(), null), "hostname");
        expectField(r -> new OrderRequest(small.id(), "ok1", "debian-12", "weak", List.of(), null), "rootPassword");
        expectField(r -> new OrderRequest(small.id(), "ok1", "debian-12", null, List.of("ssh-ed25519 AAAA broken"), null), "sshKeys");
        expectField(r -> new OrderRequest(small.id(), "ok1", "windows-95", "Correct-Horse-42", List.of(), null), "template");
        // Debian 13 riscv64 is built for the emulator only: a container plan cannot install it.
        expectField(r -> new OrderRequest(small.id(), "ok1", "debian-13", "Correct-Horse-42", List.of(), null), "template");
        expectField(r -> new OrderRequest(small.id(), "ok1", "debian-12", null, List.of(), null), "rootPassword");
        Plan huge = Tenants.plan(plans, reseller, "huge", 4, 8192, 102_400);
        jdbc.sql("update plan set memory_mib = 16384 where id = ?").param(huge.id()).update();
        expectField(r -> new OrderRequest(huge.id(), "ok1", "debian-12", "Correct-Horse-42", List.of(), null), "planId");
        assertThat(count("server")).isEqualTo(serversBefore);
        assertThat(count("job")).isEqualTo(jobsBefore);

        orders.order(alice, new OrderRequest(small.id(), "twin", "debian-12", "Correct-Horse-42", List.of(), null));
        long afterFirst = count("server");
        expectField(r -> new OrderRequest(small.id(), "twin", "debian-12", "Correct-Horse-42", List.of(), null), "hostname");
        assertThat(count("server")).isEqualTo(afterFirst);
    }

    @Test
    void eachPlanOffersTheTemplatesOfItsBackend() {
        assertThat(templates.availableFor("oci")).extracting(OsTemplate::name).contains("debian-12").doesNotContain("debian-13");
        assertThat(templates.availableFor("emulator")).extracting(OsTemplate::name).contains("debian-12", "debian-13");
    }

    @Test
    void aCustomerCannotOrderAnotherResellersPlan() {
        Actor other = Tenants.reseller(accounts, plans, "other" + System.nanoTime() % 100000);
        Plan foreign = Tenants.plan(plans, other, "foreign", 1, 256, 1024);
        expectField(r -> new OrderRequest(foreign.id(), "x1", "debian-12", "Correct-Horse-42", List.of(), null), "planId");
    }

    @Test
    void anOrderPastTheResellersGrantTellsTheCustomerNothingOfTheReseller() {
        Actor operator = Tenants.operator(accounts);
        plans.grant(operator, new CapacityGrant(reseller.accountId(), 4, 8192, 102_400, 1, Set.of("oci")));
        orders.order(alice, new OrderRequest(small.id(), "first", "debian-12", "Correct-Horse-42", List.of(), null));
        long before = count("server");

        assertThatThrownBy(() -> orders.order(alice, new OrderRequest(small.id(), "second", "debian-12", "Correct-Horse-42", List.of(), null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(ValidationException.FieldError::field).containsExactly("planId");
                    assertThat(e.getMessage()).contains("this plan is not available right now; contact your provider")
                            .doesNotContainIgnoringCase("reseller").doesNotContainIgnoringCase("capacity").doesNotContain("1");
                });
        for (Actor seller : List.of(reseller, operator)) {
            assertThatThrownBy(() -> orders.order(seller,
                    new OrderRequest(small.id(), "second", "debian-12", "Correct-Horse-42", List.of(), alice.accountId())))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.errors()).extracting(ValidationException.FieldError::field).containsExactly("planId");
                        assertThat(e.getMessage()).contains("reseller").contains("servers: 1 of 1 sold, this plan needs 1");
                    });
        }
        assertThat(count("server")).isEqualTo(before);
    }

    private void expectField(Function<Void, OrderRequest> request, String field) {
        assertThatThrownBy(() -> orders.order(alice, request.apply(null)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(ValidationException.FieldError::field)
                        .contains(field));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
