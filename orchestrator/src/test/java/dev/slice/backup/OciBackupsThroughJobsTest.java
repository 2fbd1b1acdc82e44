package dev.slice.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.Job;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * Backups of a real runc container through the service, its jobs and the scheduler's job, with the clock moved instead
 * of waiting: a file written before a backup is back after a restore, the archive's SHA-256 is the file's and a damaged
 * archive is refused before it touches the disk; a daily schedule with retention 1 writes one backup per day however
 * often it runs and prunes the older one; the server's deletion leaves its backups, which restore into a new server,
 * until their retention ends. Another customer sees none of it.
 */
@SpringBootTest(classes = OciBackupsThroughJobsTest.RealOci.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.backups.scheduler-enabled=false",
        "slice.billing.metering-enabled=false",
        "slice.backups.keep-after-delete=30d",
        "slice.bootstrap.configure-bridge=true",
        "slice.bootstrap.bridge=" + OciBackupsThroughJobsTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.41.0/24",
        "slice.bootstrap.pool-gateway=10.79.41.1",
        "slice.bootstrap.operator-password=Operator-Pass-2024",
        "slice.jobs.running-timeout=120s"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciBackupsThroughJobsTest {
    static final String BRIDGE = "sliceorch-bk";
    static final String PREFIX = "bakj" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    static final Path STORE = temporaryStore();
    private static final String FILE = "/root/slice-backup-job";

    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    static class RealOci {
        @Bean
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("slice.guest-id-prefix", () -> PREFIX);
        registry.add("slice.backups.store", STORE::toString);
    }

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired BackupService backups;
    @Autowired BackupRepository rows;
    @Autowired BackupScheduler scheduler;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired DriverRegistry registry;
    @Autowired HostContext host;
    @Autowired MutableClock clock;

    private final List<String> guests = new ArrayList<>();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void backUpRestoreScheduleAndOutliveTheServer() throws Exception {
        Driver oci = registry.driver(BackendKind.OCI).orElseThrow(() -> new AssertionError(
                "the OCI backend must be available here: " + registry.status(BackendKind.OCI).detail()));
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "bakjobs");
        Actor stranger = Tenants.customer(accounts, operator, "bakother");
        Plan plan = plans.create(operator, new PlanRequest("bakjobs", "oci", 1, 256, 512, 0, 0));
        long id = order(customer, plan, "bak1");
        GuestId guest = GuestId.of(servers.get(customer, id).guestId());
        assertThat(servers.get(customer, id).capabilities()).contains("backups");

        // On demand: written while the container is stopped, started again, verified.
        exec(oci, guest, "sh", "-c", "echo before > " + FILE + " && sync");
        BackupService.Accepted taken = backups.create(customer, id, "before change");
        runJob(customer, id, JobKind.BACKUP);
        Backup manual = rows.find(taken.backupId()).orElseThrow();
        assertThat(manual.status()).isEqualTo(BackupStatus.READY);
        Path archive = Path.of(manual.archive());
        assertThat(archive).startsWith(STORE).isRegularFile();
        assertThat(manual.sha256()).isEqualTo(ArchiveChecksum.sha256(archive));
        assertThat(manual.sizeBytes()).isEqualTo(Files.size(archive));
        assertThat(oci.state(guest)).as("stopped for the copy, started again").isEqualTo(GuestState.RUNNING);

        exec(oci, guest, "sh", "-c", "echo after > " + FILE + " && echo new > " + FILE + ".new && sync");
        backups.restore(customer, id, manual.id());
        runJob(customer, id, JobKind.RESTORE);
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(exec(oci, guest, "cat", FILE).stdout()).isEqualTo("before\n");
        assertThat(exec(oci, guest, "sh", "-c", "test -e " + FILE + ".new && echo present || echo gone").stdout()).isEqualTo("gone\n");

        // Tenancy through the one server rule; bad input names its field.
        assertThatThrownBy(() -> backups.list(stranger, id)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> backups.restore(stranger, id, manual.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> backups.delete(stranger, id, manual.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> backups.create(customer, id, " ")).isInstanceOf(ValidationException.class).hasMessageStartingWith("name");
        assertThatThrownBy(() -> backups.setSchedule(customer, id, "hourly", 3)).hasMessageStartingWith("frequency");
        assertThatThrownBy(() -> backups.setSchedule(customer, id, "daily", 0)).hasMessageStartingWith("retention");

        // Daily, keep 1: due after a day; queued once however often the timer looks; the older one pruned a day later.
        backups.setSchedule(customer, id, "daily", 1);
        assertThat(scheduler.queueIfDue()).as("nothing due yet").isZero();
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertThat(scheduler.queueIfDue()).isPositive();
        assertThat(scheduler.queueIfDue()).as("one scheduler job at a time").isZero();
        worker.runDue();
        assertThat(scheduler.queueIfDue()).as("the schedule moved on with the backup it enqueued").isZero();
        Backup firstScheduled = scheduled(id).getFirst();
        assertThat(firstScheduled.status()).isEqualTo(BackupStatus.READY);
        assertThat(firstScheduled.expiresAt()).isEqualTo(firstScheduled.createdAt().plus(Duration.ofDays(1)));
        clock.advance(Duration.ofDays(1));
        assertThat(scheduler.queueIfDue()).isPositive();
        worker.runDue();
        List<Backup> kept = scheduled(id);
        assertThat(kept).hasSize(1).first().extracting(Backup::status).isEqualTo(BackupStatus.READY);
        assertThat(kept.getFirst().id()).isNotEqualTo(firstScheduled.id());
        assertThat(rows.find(firstScheduled.id()).orElseThrow().status()).isEqualTo(BackupStatus.DELETED);
        assertThat(Path.of(firstScheduled.archive())).doesNotExist();
        Backup latest = kept.getFirst();

        // A damaged archive is refused before the disk is touched.
        Path copy = Files.copy(archive, STORE.resolve("intact.disk"));
        Files.write(archive, new byte[] {1}, StandardOpenOption.APPEND);
        backups.restore(customer, id, manual.id());
        Job refused = lastJob(customer, id);
        assertThat(refused.status()).isEqualTo(JobStatus.FAILED);
        assertThat(refused.error()).contains("damaged");
        Files.move(copy, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // Deleted: the backups stay (listed, restorable), the manual one now ends in 30 days; a new server takes one.
        servers.delete(customer, id);
        runJob(customer, id, JobKind.DELETE);
        assertThat(oci.state(guest)).isEqualTo(GuestState.ABSENT);
        assertThat(backups.list(customer, id).backups()).extracting(Backup::id).containsExactlyInAnyOrder(manual.id(), latest.id());
        assertThat(rows.find(manual.id()).orElseThrow().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        assertThat(archive).isRegularFile();
        long fresh = order(customer, plan, "bak2");
        assertThat(backups.restorable(customer, fresh)).extracting(Backup::id).contains(manual.id(), latest.id());
        backups.restore(customer, fresh, latest.id());
        runJob(customer, fresh, JobKind.RESTORE);
        assertThat(exec(oci, GuestId.of(servers.get(customer, fresh).guestId()), "cat", FILE).stdout()).isEqualTo("before\n");

        // Retention ends: the scheduled one a day after it was taken, the manual one 30 days after the deletion.
        clock.advance(Duration.ofDays(31));
        for (int round = 0; round < 4 && scheduler.queueIfDue() > 0; round++) worker.runDue();
        assertThat(rows.find(manual.id()).orElseThrow().status()).isEqualTo(BackupStatus.DELETED);
        assertThat(rows.find(latest.id()).orElseThrow().status()).isEqualTo(BackupStatus.DELETED);
        assertThat(archive).doesNotExist();
        assertThat(Path.of(latest.archive())).doesNotExist();
        assertThat(backups.list(customer, id).backups()).isEmpty();
    }

    private long order(Actor customer, Plan plan, String hostname) {
        long id = orders.order(customer, new OrderRequest(plan.id(), hostname, "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        runJob(customer, id, JobKind.CREATE);
        guests.add(servers.get(customer, id).guestId());
        return id;
    }

    private List<Backup> scheduled(long serverId) {
        return rows.ofServer(serverId).stream().filter(b -> b.trigger() == BackupTrigger.SCHEDULED).toList();
    }

    private static Path temporaryStore() {
        try {
            return Files.createTempDirectory("slice-backup-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private Job lastJob(Actor customer, long serverId) {
        worker.runDue();
        return jobs.forServer(customer, serverId, 0, 1).getFirst();
    }

    private void runJob(Actor customer, long serverId, JobKind kind) {
        Job job = lastJob(customer, serverId);
        assertThat(job.kind()).isEqualTo(kind);
        assertThat(job.status()).as(job.kind() + ": " + job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @AfterAll
    void cleanUp() throws IOException {
        registry.driver(BackendKind.OCI).ifPresent(oci -> guests.forEach(g -> oci.destroy(GuestId.of(g))));
        host.processes().run(HostCommand.of("ip", "link", "del", BRIDGE));
        try (var files = Files.walk(STORE)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
