package dev.slice.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestInfo;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Console;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The contract every driver keeps, run against its real backend: a driver's test class extends
 * this and supplies the driver and a valid spec. The tests follow one guest through its life in
 * order (create, start, console, stop, start, reboot, reset, adoption by a new driver instance, hard power-off,
 * reset of a stopped guest, destroy),
 * because booting a guest per test would make real backends far too slow to test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class DriverContractTest {

    /** The driver under test; called once per test class. */
    protected abstract Driver driver();

    /**
     * A second, fresh instance of the driver on the same host, as Slice would open after a restart:
     * it must find the guests the first instance left running.
     */
    protected abstract Driver reopenedDriver();

    /** A valid spec for this backend with the given id (small resources, a template that exists here). */
    protected abstract GuestSpec spec(GuestId id);

    /** What the console shows once the guest is ready for a person, e.g. a login prompt or a shell prompt. */
    protected abstract Pattern consoleReady();

    /** What to type so that the guest answers with text matching {@link #consoleReady()} again. */
    protected String consoleNudge() { return "\n"; }

    protected Duration bootTimeout() { return Duration.ofSeconds(60); }

    protected Duration gracefulStopTimeout() { return Duration.ofSeconds(30); }

    private final GuestId id = GuestId.of("tck-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    @AfterAll
    void cleanUp() {
        driver().destroy(id);
    }

    @Test
    @Order(1)
    void probeSaysTheBackendIsAvailableWithItsCapacity() {
        ProbeResult probe = driver().probe();
        assertThat(probe.available()).as("probe: %s", probe.detail()).isTrue();
        assertThat(probe.capacity()).isNotNull();
        assertThat(probe.capacity().cpus()).isPositive();
        assertThat(probe.capacity().memoryMiB()).isPositive();
    }

    @Test
    @Order(2)
    void createMakesAStoppedGuestAndIsIdempotent() {
        driver().create(spec(id));
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
        driver().create(spec(id));
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(driver().list()).contains(new GuestInfo(id, GuestState.STOPPED));
    }

    @Test
    @Order(3)
    void startedGuestRunsAndItsConsoleAnswers() throws Exception {
        driver().start(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertConsoleAnswers(bootTimeout());
    }

    @Test
    @Order(4)
    void startingARunningGuestIsHarmless() {
        driver().start(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
    }

    @Test
    @Order(5)
    void gracefulStopStopsTheGuestAndKeepsIt() {
        driver().stop(id, StopMode.graceful(gracefulStopTimeout()));
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
        driver().stop(id, StopMode.graceful(gracefulStopTimeout()));
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
    }

    @Test
    @Order(6)
    void stoppedGuestStartsAgain() throws Exception {
        driver().start(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertConsoleAnswers(bootTimeout());
    }

    @Test
    @Order(7)
    void rebootBringsTheGuestBack() throws Exception {
        driver().reboot(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertConsoleAnswers(bootTimeout());
    }

    @Test
    @Order(8)
    void resetRestartsTheGuestAtOnceWithoutAskingIt() throws Exception {
        driver().reset(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertConsoleAnswers(bootTimeout());
    }

    @Test
    @Order(9)
    void aReopenedDriverAdoptsTheRunningGuest() throws Exception {
        Driver reopened = reopenedDriver();
        assertThat(reopened).isNotSameAs(driver());
        assertThat(reopened.list()).contains(new GuestInfo(id, GuestState.RUNNING));
        assertThat(reopened.state(id)).isEqualTo(GuestState.RUNNING);
        if (reopened.capability(Console.class).isPresent()) {
            try (ConsoleReader console = new ConsoleReader(reopened.capability(Console.class).orElseThrow().open(id))) {
                console.type(consoleNudge());
                console.await(consoleReady(), bootTimeout());
            }
        }
    }

    @Test
    @Order(10)
    void forcedStopStopsAtOnce() {
        driver().stop(id, StopMode.force());
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
    }

    @Test
    @Order(11)
    void resetStartsAStoppedGuest() throws Exception {
        driver().reset(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertConsoleAnswers(bootTimeout());
        driver().stop(id, StopMode.force());
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
    }

    @Test
    @Order(12)
    void destroyRemovesTheGuestAndCanBeRepeated() {
        driver().destroy(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.ABSENT);
        assertThat(driver().list()).extracting(GuestInfo::id).doesNotContain(id);
        driver().destroy(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.ABSENT);
    }

    @Test
    @Order(13)
    void anUnknownTemplateIsRejectedAndLeavesNothing() {
        GuestId bad = GuestId.of(id.value() + "-bad");
        GuestSpec valid = spec(bad);
        GuestSpec unknownTemplate = new GuestSpec(bad, valid.hostname(), valid.resources(),
                "no-such-template", valid.network(), valid.credentials());
        assertThatThrownBy(() -> driver().create(unknownTemplate))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no-such-template");
        assertThat(driver().state(bad)).isEqualTo(GuestState.ABSENT);
        assertThat(driver().list()).extracting(GuestInfo::id).doesNotContain(bad);
    }

    @Test
    @Order(14)
    void impossibleSpecsAreRejectedBeforeAnyDriverSeesThem() {
        assertThatThrownBy(() -> Resources.of(0, 256, 1024)).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> GuestId.of("../etc")).isInstanceOf(InvalidSpecException.class);
        GuestSpec valid = spec(GuestId.of("tck-name"));
        assertThatThrownBy(() -> new GuestSpec(valid.id(), "Bad_Host;rm -rf", valid.resources(), valid.template(),
                valid.network(), Credentials.none())).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    @Order(15)
    void operationsOnAnAbsentGuestFailClearly() {
        GuestId missing = GuestId.of(id.value() + "-none");
        assertThat(driver().state(missing)).isEqualTo(GuestState.ABSENT);
        assertThatThrownBy(() -> driver().start(missing)).hasMessageContaining(missing.value());
        assertThatThrownBy(() -> driver().reset(missing)).hasMessageContaining(missing.value());
        assertThat(driver().state(missing)).isEqualTo(GuestState.ABSENT);
        driver().destroy(missing);
    }

    private void assertConsoleAnswers(Duration timeout) throws Exception {
        Console console = driver().capability(Console.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no console"));
        try (ConsoleReader reader = new ConsoleReader(console.open(id))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            // Guests still booting may swallow the first nudges; keep nudging until the prompt shows.
            while (true) {
                reader.type(consoleNudge());
                try {
                    reader.await(consoleReady(), Duration.ofSeconds(3));
                    return;
                } catch (AssertionError notYet) {
                    if (System.nanoTime() > deadline) throw notYet;
                }
            }
        }
    }
}
