package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A burst: four benchmark guests created and started at once through one driver (as a report's boot burst does),
 * each until its agent runs a command. Every one must boot; they share the host's lock files, CPUs and bridge.
 */
class UmlConcurrentBootTest {
    private static final int GUESTS = 4;
    private static final Duration BOOT = Duration.ofSeconds(240);

    private final UmlDriver driver = TestGuests.driver();

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void fourGuestsCreatedAtOnceAllBoot() throws Exception {
        List<GuestId> ids = new ArrayList<>();
        for (int i = 0; i < GUESTS; i++) ids.add(TestGuests.id("uml-burst" + i));
        List<String> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(GUESTS);
        try {
            List<Future<String>> boots = new ArrayList<>();
            for (int i = 0; i < GUESTS; i++) {
                GuestSpec spec = bench(ids.get(i), 60 + i);
                boots.add(pool.submit(() -> {
                    driver.create(spec);
                    driver.start(spec.id());
                    return firstHostname(spec.id());
                }));
            }
            Instant deadline = Instant.now().plus(BOOT);
            for (int i = 0; i < GUESTS; i++) {
                try {
                    long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                    assertThat(boots.get(i).get(left, TimeUnit.MILLISECONDS)).isEqualTo(ids.get(i).value() + ".uml.test");
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(ids.get(i) + ": " + e.getCause());
                }
            }
            assertThat(failures).as("guests of the burst that did not boot").isEmpty();
            for (GuestId id : ids) assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
            // Each start chose its CPU seeing the kernels started before it: the burst is not all on one CPU.
            java.util.Set<Integer> cpus = new java.util.HashSet<>();
            for (GuestId id : ids) cpus.addAll(GuestProcess.find(driver.guest(id)).orElseThrow().allowedCpus());
            if (CpuPinning.online().size() > 1) assertThat(cpus).as("CPUs the burst's kernels are pinned to").hasSizeGreaterThan(1);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(60, TimeUnit.SECONDS);
            for (GuestId id : ids) driver.destroy(id);
        }
        for (GuestId id : ids) assertThat(driver.state(id)).isEqualTo(GuestState.ABSENT);
    }

    private static GuestSpec bench(GuestId id, int octet) {
        GuestSpec spec = TestGuests.spec(id, 1, 256, octet);
        return new GuestSpec(spec.id(), spec.hostname(), spec.resources(), "debian-12-bench", spec.network(), spec.credentials());
    }

    /** The agent starts with the guest's services; until then calls fail, so they are retried until the deadline. */
    private String firstHostname(GuestId id) throws InterruptedException {
        Instant deadline = Instant.now().plus(BOOT);
        while (true) {
            try {
                return driver.exec(id, ExecCommand.of(Duration.ofSeconds(10), "hostname")).stdout().strip();
            } catch (DriverException notYet) {
                if (Instant.now().isAfter(deadline)) throw notYet;
                Thread.sleep(500);
            }
        }
    }
}
