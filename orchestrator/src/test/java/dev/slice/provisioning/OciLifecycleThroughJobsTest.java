package dev.slice.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.billing.BillingNotices;
import dev.slice.billing.BillingProperties;
import dev.slice.billing.BillingRepository;
import dev.slice.billing.BillingService;
import dev.slice.billing.Dunning;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.reconciler.Reconciler;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.MutableClock;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A server's whole life through jobs against real runc containers: order, stop, start, reboot, power-off, reset, reinstall,
 * delete; after each job the OCI driver and the database agree, and the reconciler sees the same power state. Dunning's
 * suspension and its lifting on payment, on a real guest.
 */
@SpringBootTest(classes = CrashRecoveryTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + OciLifecycleThroughJobsTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.8.0/24",
        "slice.bootstrap.pool-gateway=10.79.8.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.jobs.running-timeout=120s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciLifecycleThroughJobsTest {
    static final String BRIDGE = "sliceorch-t1";
    static final String PREFIX = "life" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);

    @DynamicPropertySource
    static void guestPrefix(DynamicPropertyRegistry registry) {
        registry.add("slice.guest-id-prefix", () -> PREFIX);
    }

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired Reconciler reconciler;
    @Autowired DriverRegistry registry;
    @Autowired HostContext host;
    @Autowired BillingService billing;
    @Autowired BillingRepository billingRepository;
    @Autowired BillingNotices notices;
    @Autowired AuditLog audit;
    @Autowired TransactionTemplate transactions;
    @Autowired MutableClock clock;

    String guestId;

    @Test
    void orderStopStartRebootReinstallDelete() {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "lifecycle");
        Plan plan = plans.create(operator, new PlanRequest("life", "oci", 1, 256, 512, 0, 0));

        long id = orders.order(customer, new OrderRequest(plan.id(), "life1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        runJobs(customer, id);
        Server server = servers.get(customer, id);
        guestId = server.guestId();
        GuestId guest = GuestId.of(guestId);
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);
        assertThat(server.capabilities()).contains("console", "stats", "resize");

        servers.stop(customer, id, false);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.STOPPED);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.STOPPED);
        reconciler.runOnce();
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.STOPPED);

        servers.start(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);
        reconciler.runOnce();
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);

        servers.reboot(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);

        // Hard power-off and reset: SIGKILL to the container, and SIGKILL with a fresh start.
        servers.powerOff(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.STOPPED);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.STOPPED);
        servers.reset(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).as("a reset starts a stopped guest").isEqualTo(GuestState.RUNNING);
        servers.reset(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);

        servers.reinstall(customer, id, "debian-12", "Another-Horse-43", List.of());
        runJobs(customer, id);
        assertThat(servers.get(customer, id).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);

        servers.delete(customer, id);
        runJobs(customer, id);
        assertThat(oci.state(guest)).isEqualTo(GuestState.ABSENT);
        assertThat(oci.list()).noneMatch(g -> g.id().equals(guest));
    }

    /**
     * Dunning on a real guest: a customer in arrears past the grace period has its container stopped and its server
     * suspended; paying lifts exactly that suspension and the container runs again. The pass is the application's own
     * {@link Dunning}, given a grace of one millisecond (the context's own dunning is off).
     */
    @Test
    void dunningStopsARealGuestAndPaymentStartsItAgain() {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow();
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "dunned");
        Plan plan = plans.create(operator, new PlanRequest("dun", "oci", 1, 256, 512, 0, 0));
        long id = orders.order(customer, new OrderRequest(plan.id(), "dun1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        GuestId guest = null;
        try {
            runJobs(customer, id);
            guest = GuestId.of(servers.get(customer, id).guestId());
            assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);

            billing.record(operator, customer.accountId(), new BillingService.EntryRequest("charge", "5.00", "unpaid hosting", null));
            Dunning dunning = new Dunning(billingRepository, servers, accounts, audit, transactions, clock,
                    new BillingProperties("EUR", "", false, 0, false, null, Duration.ofMillis(1), null, null), notices);
            clock.advance(Duration.ofSeconds(1));
            assertThat(dunning.runPass()).as("servers suspended").isEqualTo(1);
            runJobs(customer, id);
            assertThat(servers.get(customer, id).status()).isEqualTo(ServerStatus.SUSPENDED);
            assertThat(oci.state(guest)).as("the suspended guest is stopped").isEqualTo(GuestState.STOPPED);
            assertThat(dunning.runPass()).as("a second pass changes nothing").isZero();

            billing.record(operator, customer.accountId(), new BillingService.EntryRequest("payment", "5.00", "paid", null));
            assertThat(dunning.runPass()).as("suspensions lifted").isEqualTo(1);
            runJobs(customer, id);
            assertThat(servers.get(customer, id).status()).isEqualTo(ServerStatus.ACTIVE);
            assertThat(oci.state(guest)).as("the guest runs again").isEqualTo(GuestState.RUNNING);
        } finally {
            servers.delete(customer, id);
            worker.runDue();
            if (guest != null) oci.destroy(guest);
        }
    }

    /** Runs the server's queued job and checks it succeeded. */
    private void runJobs(Actor customer, long serverId) {
        worker.runDue();
        var job = jobs.forServer(customer, serverId, 0, 1).getFirst();
        assertThat(job.status()).as(job.kind() + ": " + job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @AfterAll
    void cleanUp() {
        registry.driver(BackendKind.OCI).ifPresent(oci -> {
            if (guestId != null) oci.destroy(GuestId.of(guestId));
        });
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
    }
}
