package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slice.db.testing.TestDatabaseExtension;
import dev.slice.db.testing.TestSchema;
import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.Resources;
import dev.slice.driver.uml.UmlDriver;
import dev.slice.job.JobKind;
import dev.slice.job.JobQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A burst through the real PostgreSQL: guests made at once by the real UML driver, some of them from an OS template
 * this host has no image of, so the driver refuses them for a known reason. Each refusal lands on its guest's row and
 * the report reads "4 started, 2 booted, 2 failed: reason"; a guest that outlives the burst's deadline fails too.
 * The guests are only created (no kernel starts): creating is what the burst's threads do at once.
 */
@ExtendWith(TestDatabaseExtension.class)
class BootBurstTest {
    private static final String MISSING = "no-such-template";

    private final JdbcClient jdbc;
    private final ReportRepository reports;
    private ReportRun run;

    BootBurstTest(TestSchema schema) {
        this.jdbc = JdbcClient.create(schema.dataSource());
        this.reports = new ReportRepository(jdbc);
    }

    @BeforeEach
    void aRun() {
        long node = jdbc.sql("""
                insert into node (name, cpus, memory_mib, disk_mib, created_at) values (?, 2, 8192, 100000, now()) returning id""")
                .param("burst-" + System.nanoTime()).query(Long.class).single();
        long job = new JobQueue(jdbc).enqueue(JobKind.REPORT, null, null, "{}", 3, Instant.now());
        long id = reports.insert(node, job, List.of("uml"), 1, 256, 2048, Depth.QUICK, true, 2048, null, Instant.now());
        run = reports.find(id).orElseThrow();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void guestsTheDriverRefusesKeepTheirReasonAndTheReportCountsThem() throws Exception {
        HostContext host = HostContext.of(Path.of(System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice")));
        assumeTrue(Files.isRegularFile(host.templateDir("debian-12").resolve("uml/current")), "deploy/uml/build.sh has built debian-12");
        UmlDriver driver = new UmlDriver(host, Clock.systemUTC());
        List<GuestId> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GuestId guest = GuestId.of("bursttest-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "-b4-" + i);
            reports.planGuest(run.id(), "uml", guest.value(), "density", 4);
            burst.add(guest);
        }
        try {
            BootBurst.Outcome outcome = new BootBurst(reports, Duration.ofMinutes(2)).boot(burst, List.of(0, 1, 2, 3), (guest, address) -> {
                long started = System.nanoTime();
                String template = address % 2 == 0 ? "debian-12" : MISSING;
                driver.create(new GuestSpec(guest, guest.value() + ".test", new Resources(1, 256, 2048, 0, 0), template, null,
                        Credentials.none()));
                double millis = (System.nanoTime() - started) / 1e6;
                reports.guestReady(guest.value(), millis);
                return millis;
            });

            assertThat(outcome.booted()).as("failed: %s", outcome.failed()).containsExactly(burst.get(0), burst.get(2));
            String refused = "OS template '" + MISSING + "' has no UML image on this host";
            assertThat(outcome.failed()).extracting(BootBurst.Failure::reason).containsExactly(refused, refused);
            assertThat(reports.guests(run.id())).filteredOn(g -> g.failure() != null)
                    .extracting(ReportRepository.RunGuest::guestId).containsExactlyInAnyOrder(burst.get(1).value(), burst.get(3).value());

            ReportResults results = ReportResults.of(run, reports, 1.0);
            assertThat(results.bursts()).singleElement().satisfies(b -> {
                assertThat(b.concurrency()).isEqualTo(4);
                assertThat(b.summary()).isEqualTo("4 started, 2 booted, 2 failed: " + refused);
            });
            assertThat(results.bootTimes()).singleElement().satisfies(b -> assertThat(b.n()).isEqualTo(2));
        } finally {
            for (GuestId guest : burst) driver.destroy(guest);
        }
        for (GuestId guest : burst) assertThat(driver.state(guest)).isEqualTo(GuestState.ABSENT);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aGuestPastTheBurstsDeadlineFailsAndItsThreadIsStopped() throws Exception {
        List<GuestId> burst = List.of(GuestId.of("bursttest-slow-0"), GuestId.of("bursttest-slow-1"));
        for (GuestId guest : burst) reports.planGuest(run.id(), "uml", guest.value(), "density", 2);
        List<Boolean> interrupted = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        BootBurst.Outcome outcome = new BootBurst(reports, Duration.ofSeconds(2)).boot(burst, List.of(0, 1), (guest, address) -> {
            if (address == 0) {
                reports.guestReady(guest.value(), 5.0);
                return 5.0;
            }
            try {
                Thread.sleep(50_000);
            } catch (InterruptedException e) {
                interrupted.add(true);
                throw e;
            }
            return 50_000.0;
        });

        assertThat((System.nanoTime() - started) / 1e9).as("the burst ends at its deadline").isLessThan(20);
        assertThat(outcome.booted()).containsExactly(burst.get(0));
        assertThat(outcome.failed()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("not booted within the burst's 2 s"));
        assertThat(interrupted).containsExactly(true);
        assertThat(ReportResults.of(run, reports, 1.0).bursts()).singleElement()
                .satisfies(b -> assertThat(b.summary()).isEqualTo("2 started, 1 booted, 1 failed: not booted within the burst's 2 s"));
    }
}
