package dev.slice.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.capability.Suspend;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Suspend} contract, against a driver's real backend: a token written to a file in the guest's RAM before
 * a suspend is there after the resume, and the guest's uptime went on from where it was (no boot in between); a
 * suspended guest is {@code STOPPED} with {@code isSuspended}, and a second driver instance sees it so; a suspend of a
 * stopped guest and a resume of a running one fail; a stop and start afterwards boots afresh (the RAM file is gone,
 * proving it was RAM); a suspended guest can be destroyed. Read and written through {@link GuestExec}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SuspendContractTest {
    private static final Duration COMMAND = Duration.ofSeconds(20);

    protected abstract Driver driver();

    /** A fresh driver instance on the same backend, as after a restart of Slice. */
    protected abstract Driver anotherDriver();

    /** A spec of a template whose guests run {@link GuestExec} commands, of a shape the backend can suspend. */
    protected abstract GuestSpec spec(GuestId id);

    /** A directory in the guest that lives in its RAM (tmpfs or an initramfs root). */
    protected String ramDirectory() { return "/dev/shm"; }

    /** From a start or resume until the guest runs commands. */
    protected Duration readyTimeout() { return Duration.ofSeconds(120); }

    /** How long a suspend may take to write the machine out. */
    protected Duration saveTimeout() { return Duration.ofSeconds(120); }

    private final GuestId id = GuestId.of("susp-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    @AfterAll
    void destroyGuest() {
        driver().destroy(id);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aResumedGuestGoesOnWithItsMemoryAndAStartAfterAStopBootsAfresh() throws Exception {
        Suspend suspend = driver().capability(Suspend.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no Suspend"));
        String file = ramDirectory() + "/slice-suspend-test";
        String token = "kept-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        driver().create(spec(id));
        assertThat(suspend.isSuspended(id)).isFalse();
        assertThatThrownBy(() -> suspend.suspend(id, saveTimeout())).as("a stopped guest").isInstanceOf(DriverException.class);
        assertThat(suspend.refusal(id)).isEmpty();
        driver().start(id);
        run("sh", "-c", "echo " + token + " > " + file);
        double uptimeBefore = uptime();

        suspend.suspend(id, saveTimeout());
        assertThat(driver().state(id)).isEqualTo(GuestState.STOPPED);
        assertThat(suspend.isSuspended(id)).isTrue();
        Suspend seenAgain = anotherDriver().capability(Suspend.class).orElseThrow();
        assertThat(seenAgain.isSuspended(id)).as("the saved state is on the host, not in the driver").isTrue();
        assertThat(anotherDriver().list()).anySatisfy(g -> {
            assertThat(g.id()).isEqualTo(id);
            assertThat(g.state()).isEqualTo(GuestState.STOPPED);
        });
        assertThatThrownBy(() -> suspend.suspend(id, saveTimeout())).as("already suspended").isInstanceOf(DriverException.class);

        suspend.resume(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.RUNNING);
        assertThat(suspend.isSuspended(id)).isFalse();
        assertThat(run("cat", file).stdout()).isEqualTo(token + "\n");
        assertThat(uptime()).as("no boot in between").isGreaterThanOrEqualTo(uptimeBefore);
        assertThatThrownBy(() -> suspend.resume(id)).as("a running guest").isInstanceOf(DriverException.class);

        driver().stop(id, StopMode.force());
        assertThat(suspend.isSuspended(id)).isFalse();
        driver().start(id);
        assertThat(run("sh", "-c", "cat " + file + " 2>/dev/null || echo gone").stdout()).isEqualTo("gone\n");

        suspend.suspend(id, saveTimeout());
        assertThat(suspend.isSuspended(id)).isTrue();
        driver().destroy(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.ABSENT);
    }

    private double uptime() throws InterruptedException {
        return Double.parseDouble(run("cat", "/proc/uptime").stdout().strip().split("\\s+")[0]);
    }

    /** Runs a command, retried until the guest answers (just started or resumed); it must exit 0. */
    private ExecResult run(String... argv) throws InterruptedException {
        GuestExec exec = driver().capability(GuestExec.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no GuestExec"));
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (true) {
            try {
                ExecResult result = exec.exec(id, ExecCommand.of(COMMAND, argv));
                assertThat(result.exitCode()).as("%s: %s", String.join(" ", argv), result.stderr()).isZero();
                return result;
            } catch (DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }
}
