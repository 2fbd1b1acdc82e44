package dev.slice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.capability.Snapshots;
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
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.testing.MutableClock;
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
 * Snapshots of a real runc container through the service and its jobs: a file written in the guest before the take
 * is back after the revert (the server runs again), the later content is gone, and a delete removes the copy from
 * the host. The OCI driver copies the stopped container's disk, so the take job stops and restarts the server.
 */
@SpringBootTest(classes = OciSnapshotsThroughJobsTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + OciSnapshotsThroughJobsTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.10.0/24",
        "slice.bootstrap.pool-gateway=10.79.10.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.jobs.running-timeout=120s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciSnapshotsThroughJobsTest {
    static final String BRIDGE = "sliceorch-t2";
    static final String PREFIX = "snapj" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    private static final String FILE = "/root/slice-snapshot-job";

    /** The orchestrator with the drivers found on the class path (the real OCI driver). */
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
    @Autowired SnapshotService snapshots;
    @Autowired SnapshotRepository rows;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired DriverRegistry registry;
    @Autowired HostContext host;

    String guestId;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void takeListRevertAndDeleteASnapshotOfARealContainer() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "snapjobs");
        Plan plan = plans.create(operator, new PlanRequest("snapjobs", "oci", 1, 256, 512, 0, 0));
        long id = orders.order(customer, new OrderRequest(plan.id(), "snap1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        runJob(customer, id, JobKind.CREATE);
        guestId = servers.get(customer, id).guestId();
        GuestId guest = GuestId.of(guestId);
        assertThat(servers.get(customer, id).capabilities()).contains("snapshots");

        exec(oci, guest, "sh", "-c", "echo before > " + FILE + " && sync");
        SnapshotService.Accepted taken = snapshots.take(customer, id, "before change");
        runJob(customer, id, JobKind.SNAPSHOT_TAKE);
        Snapshot ready = rows.find(taken.snapshotId()).orElseThrow();
        assertThat(ready.status()).isEqualTo(SnapshotStatus.READY);
        assertThat(oci.state(guest)).as("stopped for the copy, started again").isEqualTo(GuestState.RUNNING);
        Snapshots driverSnapshots = oci.capability(Snapshots.class).orElseThrow();
        assertThat(driverSnapshots.snapshots(guest)).containsExactly(ready.driverName());
        assertThat(snapshots.list(customer, id).snapshots()).extracting(Snapshot::name, Snapshot::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("before change", SnapshotStatus.READY));

        exec(oci, guest, "sh", "-c", "echo after > " + FILE + " && echo new > " + FILE + ".new && sync");
        snapshots.revert(customer, id, ready.id());
        runJob(customer, id, JobKind.SNAPSHOT_REVERT);
        assertThat(oci.state(guest)).isEqualTo(GuestState.RUNNING);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(exec(oci, guest, "cat", FILE).stdout()).isEqualTo("before\n");
        assertThat(exec(oci, guest, "sh", "-c", "test -e " + FILE + ".new && echo present || echo gone").stdout())
                .isEqualTo("gone\n");

        snapshots.delete(customer, id, ready.id());
        runJob(customer, id, JobKind.SNAPSHOT_DELETE);
        assertThat(rows.find(ready.id()).orElseThrow().status()).isEqualTo(SnapshotStatus.DELETED);
        assertThat(driverSnapshots.snapshots(guest)).isEmpty();
        assertThat(snapshots.list(customer, id).snapshots()).isEmpty();
        assertThat(exec(oci, guest, "cat", FILE).stdout()).as("a delete leaves the disk alone").isEqualTo("before\n");

        servers.delete(customer, id);
        runJob(customer, id, JobKind.DELETE);
        assertThat(oci.state(guest)).isEqualTo(GuestState.ABSENT);
    }

    /** A program in the container; retried while the guest is still coming up after a start. */
    private static ExecResult exec(Driver oci, GuestId guest, String... argv) throws InterruptedException {
        GuestExec exec = oci.capability(GuestExec.class).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                ExecResult result = exec.exec(guest, ExecCommand.of(Duration.ofSeconds(30), argv));
                assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.stderr()).isZero();
                return result;
            } catch (dev.slice.driver.DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }

    private void runJob(Actor customer, long serverId, JobKind kind) {
        worker.runDue();
        var job = jobs.forServer(customer, serverId, 0, 1).getFirst();
        assertThat(job.kind()).isEqualTo(kind);
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
