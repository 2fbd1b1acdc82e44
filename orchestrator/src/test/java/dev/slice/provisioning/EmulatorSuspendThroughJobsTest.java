package dev.slice.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.JobKind;
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
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The owner's suspend and resume through jobs against a real emulator guest (the busybox guest, one hart): a token
 * written to the guest's RAM before the SUSPEND job is read back through the guest agent after the RESUME job; in
 * between the guest's process is gone, its machine saved, the server active with power "suspended", and the
 * reconciler neither calls it lost nor changes its power. Then the provider's suspension of the running guest saves its
 * machine too (power "suspended", lifted: the token is still there), while the owner's stop shuts it down (power
 * "stopped", nothing saved, the next start boots afresh).
 */
@SpringBootTest(classes = CrashRecoveryTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + EmulatorSuspendThroughJobsTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.17.0/24",
        "slice.bootstrap.pool-gateway=10.79.17.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.jobs.running-timeout=180s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorSuspendThroughJobsTest {
    static final String BRIDGE = "sliceorch-t3";
    static final String PREFIX = "esus" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    private static final Duration AGENT = Duration.ofMinutes(3);

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

    String guestId;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void suspendedThroughAJobAndResumedTheGuestAnswersWithItsMemory() throws Exception {
        Driver emulator = registry.driver(BackendKind.EMULATOR).orElseThrow(() -> new AssertionError(
                "the emulator backend must be available here: " + registry.status(BackendKind.EMULATOR).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "sleeper");
        Plan plan = plans.create(operator, new PlanRequest("emu-sleep", "emulator", 1, 128, 512, 0, 0));
        long id = orders.order(customer, new OrderRequest(plan.id(), "sleep1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        runJob(customer, id, JobKind.CREATE);
        Server server = servers.get(customer, id);
        guestId = server.guestId();
        GuestId guest = GuestId.of(guestId);
        assertThat(server.capabilities()).contains("suspend");
        String token = "kept-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        exec(emulator, guest, "sh", "-c", "echo " + token + " > /tmp/slice-token");

        servers.suspendGuest(customer, id);
        runJob(customer, id, JobKind.SUSPEND);
        Server suspended = servers.get(customer, id);
        assertThat(suspended.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(suspended.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThat(emulator.state(guest)).isEqualTo(GuestState.STOPPED);
        assertThat(emulator.capability(Suspend.class).orElseThrow().isSuspended(guest)).isTrue();
        assertThat(reconciler.runOnce()).noneMatch(f -> guestId.equals(f.guestId()));
        assertThat(servers.get(customer, id).powerState()).as("after the reconciler").isEqualTo(PowerState.SUSPENDED);
        assertThat(emulator.state(guest)).as("the reconciler starts nothing").isEqualTo(GuestState.STOPPED);

        servers.resumeGuest(customer, id);
        runJob(customer, id, JobKind.RESUME);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(emulator.state(guest)).isEqualTo(GuestState.RUNNING);
        assertThat(exec(emulator, guest, "cat", "/tmp/slice-token")).as("RAM kept across the suspend").isEqualTo(token + "\n");
        reconciler.runOnce();
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);

        // The provider's suspension: the owner asked for no shutdown, so the machine is saved, and lifting it resumes.
        servers.suspend(operator, id);
        runJob(customer, id, JobKind.POWER_OFF);
        Server held = servers.get(customer, id);
        assertThat(held.status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(held.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThat(emulator.capability(Suspend.class).orElseThrow().isSuspended(guest)).isTrue();
        servers.unsuspend(operator, id);
        runJob(customer, id, JobKind.START);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(exec(emulator, guest, "cat", "/tmp/slice-token")).as("RAM kept across the provider's suspension")
                .isEqualTo(token + "\n");

        // The owner's stop is a shutdown: nothing is saved, and the next start boots afresh (tmpfs is empty).
        servers.stop(customer, id, false);
        runJob(customer, id, JobKind.STOP);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.STOPPED);
        assertThat(emulator.capability(Suspend.class).orElseThrow().isSuspended(guest)).isFalse();
        servers.start(customer, id);
        runJob(customer, id, JobKind.START);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(exec(emulator, guest, "sh", "-c", "cat /tmp/slice-token 2>/dev/null; echo booted")).as("a fresh boot")
                .isEqualTo("booted\n");

        servers.delete(customer, id);
        runJob(customer, id, JobKind.DELETE);
        assertThat(emulator.state(guest)).isEqualTo(GuestState.ABSENT);
    }

    /** Runs the server's queued job and checks it is the expected kind and succeeded. */
    private void runJob(Actor customer, long serverId, JobKind kind) {
        worker.runDue();
        var job = jobs.forServer(customer, serverId, 0, 1).getFirst();
        assertThat(job.kind()).isEqualTo(kind);
        assertThat(job.status()).as(job.kind() + ": " + job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** Retried until the guest's agent answers (it starts at the end of the guest's init). */
    private static String exec(Driver driver, GuestId guest, String... argv) throws InterruptedException {
        GuestExec exec = driver.capability(GuestExec.class).orElseThrow();
        long deadline = System.nanoTime() + AGENT.toNanos();
        while (true) {
            try {
                var result = exec.exec(guest, ExecCommand.of(Duration.ofSeconds(20), argv));
                assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.stderr()).isZero();
                return result.stdout();
            } catch (DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(300);
            }
        }
    }

    @AfterAll
    void cleanUp() {
        registry.driver(BackendKind.EMULATOR).ifPresent(emulator -> {
            if (guestId != null) emulator.destroy(GuestId.of(guestId));
        });
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
    }
}
