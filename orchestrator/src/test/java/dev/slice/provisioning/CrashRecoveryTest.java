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
import java.nio.file.Path;
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

    @Autowired org.springframework.core.env.Environment environment;

    String guestId;
    final java.util.Set<String> ourGuests = new java.util.HashSet<>();

    @Test
    void aJobWhoseWorkerDiedMidStepIsFinishedByAnotherWithExactlyOneGuest() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "survivor");
        Plan plan = plans.create(operator, new PlanRequest("crash-test", "oci", 1, 256, 512, 0, 0));
        OrderResult order = orders.order(customer, new OrderRequest(plan.id(), "crash1", "debian-12", "Correct-Horse-42", List.of(), null));
        guestId = servers.get(customer, order.serverId()).guestId();
        ourGuests.add(guestId);
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
        List<GuestInfo> ours = oci.list().stream().filter(g -> g.id().value().equals(guestId)).toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.getFirst().state()).isEqualTo(GuestState.RUNNING);
        assertThat(oci.list().stream().map(g -> g.id().value()).filter(id -> id.startsWith(PREFIX + "-")).toList())
                .as("one guest per server, nothing duplicated").containsExactlyInAnyOrderElementsOf(ourGuests);

        // The dead worker wakes up: its writes are fenced off, nothing changes.
        never.countDown();
        Thread.sleep(500);
        assertThat(queue.find(order.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(oci.list().stream().filter(g -> g.id().value().equals(guestId)).count()).isEqualTo(1);
    }

    /**
     * The same, with a real process: a second JVM claims the job, creates the container and is killed with
     * SIGKILL in the middle of the step. This JVM's worker finishes the job.
     */
    @Test
    void aWorkerProcessKilledMidStepIsReplacedWithExactlyOneGuest() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow();
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "survivor2");
        Plan plan = plans.list(operator).stream().filter(p -> p.name().equals("oci-s")).findFirst().orElseThrow();
        OrderResult order = orders.order(customer, new OrderRequest(plan.id(), "crash2", "debian-12", null,
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e/9G0YrcjOGOSfjUcJJQjKOreRLGnciC1KaxyHVA t"), null));
        String guest = servers.get(customer, order.serverId()).guestId();
        ourGuests.add(guest);

        // The child's clock runs in real time from where this test's clock stands now.
        long offsetMillis = Duration.between(java.time.Instant.now(), clock.instant()).toMillis();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWorkerProcess.class.getName(),
                environment.getProperty("spring.datasource.url"), PREFIX, Long.toString(offsetMillis))
                .redirectErrorStream(true).start();
        try {
            String claimedBy = awaitLine(child, "CREATED", "WORKER");
            assertThat(claimedBy).isNotNull();
            child.destroyForcibly();   // SIGKILL: no shutdown hooks, no release of the job
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        Job orphaned = queue.find(order.jobId()).orElseThrow();
        assertThat(orphaned.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(orphaned.claimedBy()).startsWith("process-");
        assertThat(orphaned.nextStep()).isEqualTo(1);
        assertThat(oci.state(GuestId.of(guest))).isEqualTo(GuestState.STOPPED);

        // Catch up with the child's (real-time) clock, then let its last heartbeat go stale.
        clock.advance(Duration.between(clock.instant(), java.time.Instant.now().plusMillis(offsetMillis)).plusSeconds(31));
        assertThat(survivor.runDue()).isEqualTo(1);
        Job finished = queue.find(order.jobId()).orElseThrow();
        assertThat(finished.status()).as(finished.output() + finished.error()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(finished.output()).contains("taken over from worker process-");
        assertThat(servers.get(customer, order.serverId()).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(oci.list().stream().map(g -> g.id().value()).filter(id -> id.startsWith(PREFIX + "-")).toList())
                .as("one guest per server, nothing duplicated").containsExactlyInAnyOrderElementsOf(ourGuests);
        assertThat(oci.state(GuestId.of(guest))).isEqualTo(GuestState.RUNNING);
    }

    /** Reads the child's output until a line starting with {@code wanted}; returns what followed {@code remember}. */
    private static String awaitLine(Process child, String wanted, String remember) throws Exception {
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        var found = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            String remembered = null;
            StringBuilder tail = new StringBuilder();
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    tail.append(line).append('\n');
                    if (line.startsWith(remember + " ")) remembered = line.substring(remember.length() + 1);
                    if (line.startsWith(wanted + " ")) {
                        found.complete(remembered);
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                // the process went away
            }
            found.completeExceptionally(new AssertionError("the worker process ended before '" + wanted + "':\n" + tail));
        });
        return found.get(240, TimeUnit.SECONDS);
    }

    @AfterAll
    void removeGuestAndBridge() {
        registry.driver(BackendKind.OCI).ifPresent(oci -> ourGuests.forEach(id -> oci.destroy(GuestId.of(id))));
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
    }
}
