package dev.slice.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.Job;
import dev.slice.job.JobQueue;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.job.RetryPolicy;
import dev.slice.job.Step;
import dev.slice.job.StepRunner;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderResult;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.MutableClock;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A worker dies while provisioning a real container (runc through the OCI driver): right after the driver
 * created the guest and before the step was recorded. Its heartbeat goes stale; another worker takes the job
 * over, repeats the create (idempotent), starts the guest and marks the server active. In the end there is
 * exactly one guest, running, and the dead worker cannot write to the job any more when it wakes up.
 */
@SpringBootTest(classes = CrashRecoveryTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + CrashRecoveryTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.7.0/24",
        "slice.bootstrap.pool-gateway=10.79.7.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.jobs.running-timeout=120s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {
    static final String BRIDGE = "sliceorch-t0";
    /** Guests of this run only, whatever else runs on the host. */
    static final String PREFIX = "crash" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);

    /** The orchestrator with the drivers found on the class path (the real OCI driver) and a clock we move. */
    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    static class RealOci {
        @Bean
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void guestPrefix(DynamicPropertyRegistry registry) {
        registry.add("slice.guest-id-prefix", () -> PREFIX);
    }

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobQueue queue;
    @Autowired GuestSteps steps;
    @Autowired JobWorker survivor;
    @Autowired DriverRegistry registry;
    @Autowired MutableClock clock;
    @Autowired HostContext host;

    String guestId;

    @Test
    void aJobWhoseWorkerDiedMidStepIsFinishedByAnotherWithExactlyOneGuest() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "survivor");
        Plan plan = plans.create(operator, new PlanRequest("crash-test", "oci", 1, 256, 512, 0, 0));
        OrderResult order = orders.order(customer, new OrderRequest(plan.id(), "crash1", "debian-12", "Correct-Horse-42", List.of(), null));
        guestId = servers.get(customer, order.serverId()).guestId();
        assertThat(guestId).startsWith(PREFIX + "-");

        // Worker A runs the real steps, but "dies" right after the driver created the guest.
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        StepRunner dying = new StepRunner() {
            @Override
            public String run(Job job, Step step) throws Exception {
                String output = steps.run(job, step);
                if (step == Step.CREATE_GUEST) {
                    created.countDown();
                    never.await();
                }
                return output;
            }

            @Override
            public void failed(Job job, String error) {
                steps.failed(job, error);
            }
        };
        JobWorker doomed = new JobWorker("doomed", queue, dying, RetryPolicy.DEFAULT, clock,
                new JobWorker.Settings(1, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(30)));
        doomed.start();
        assertThat(created.await(180, TimeUnit.SECONDS)).as("worker A reached the create step").isTrue();
        doomed.kill();

        Job stuck = queue.find(order.jobId()).orElseThrow();
        assertThat(stuck.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stuck.claimedBy()).isEqualTo("doomed");
        assertThat(stuck.nextStep()).as("create ran but was never recorded").isEqualTo(1);
        assertThat(oci.state(GuestId.of(guestId))).isEqualTo(GuestState.STOPPED);
        assertThat(survivor.runDue()).as("a fresh heartbeat keeps others away").isZero();

        // Time passes without heartbeats: the survivor takes the job over where it stood.
        clock.advance(Duration.ofSeconds(31));
        assertThat(survivor.runDue()).isEqualTo(1);

        Job finished = queue.find(order.jobId()).orElseThrow();
        assertThat(finished.status()).as(finished.output() + finished.error()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(finished.claimedBy()).isNull();
        Server server = servers.get(customer, order.serverId());
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(server.powerState()).isEqualTo(PowerState.RUNNING);
        List<GuestInfo> ours = oci.list().stream().filter(g -> g.id().value().startsWith(PREFIX + "-")).toList();
        assertThat(ours).extracting(g -> g.id().value()).containsExactly(guestId);
        assertThat(ours.getFirst().state()).isEqualTo(GuestState.RUNNING);

        // The dead worker wakes up: its writes are fenced off, nothing changes.
        never.countDown();
        Thread.sleep(500);
        assertThat(queue.find(order.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(oci.list().stream().filter(g -> g.id().value().startsWith(PREFIX + "-")).count()).isEqualTo(1);
    }

    @AfterAll
    void removeGuestAndBridge() {
        registry.driver(BackendKind.OCI).ifPresent(oci -> {
            if (guestId != null) oci.destroy(GuestId.of(guestId));
        });
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
    }
}
