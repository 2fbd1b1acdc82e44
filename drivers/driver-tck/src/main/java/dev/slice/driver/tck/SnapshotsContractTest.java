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
import dev.slice.driver.capability.Snapshots;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Snapshots} contract, against a driver's real backend: a file written in the guest before a snapshot is
 * back after a revert, and the later one after reverting to the later snapshot; takes and deletes are idempotent,
 * listed oldest first; a missing snapshot is named; snapshots go with the guest. The file is written and read through
 * {@link GuestExec}, as a program in the guest would. A backend that copies the disk ({@link
 * Snapshots#needsStoppedGuest}) refuses a running guest, and the test stops the guest around each take and revert.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SnapshotsContractTest {
    private static final Duration COMMAND = Duration.ofSeconds(20);
    private static final String FILE = "/root/slice-snapshot-test";

    protected abstract Driver driver();

    /** A spec of a template whose guests run {@link GuestExec} commands. */
    protected abstract GuestSpec spec(GuestId id);

    /** From a start until the guest runs commands. */
    protected Duration readyTimeout() { return Duration.ofSeconds(120); }

    /** After a revert, before the guest is started again: what else the backend promises (ownership, state...). */
    protected void reverted(GuestId id) {}

    /** At the end, before the guest is destroyed with its snapshots: the backend's own further checks. */
    protected void moreChecks(GuestId id, Snapshots snapshots) throws Exception {}

    private final GuestId id = GuestId.of("snap-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    protected GuestId guest() { return id; }

    @AfterAll
    void destroyGuest() {
        driver().destroy(id);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aRevertBringsBackTheDiskAsItWasWhenTheSnapshotWasTaken() throws Exception {
        Snapshots snapshots = driver().capability(Snapshots.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no Snapshots"));
        driver().create(spec(id));
        driver().start(id);
        run("sh", "-c", "echo before > " + FILE + " && sync");
        if (snapshots.needsStoppedGuest()) {
            assertThatThrownBy(() -> snapshots.snapshot(id, "first"))
                    .isInstanceOf(DriverException.class).hasMessageContaining("stop it first");
        }

        quiet(snapshots);
        snapshots.snapshot(id, "first");
        snapshots.snapshot(id, "first"); // a repeated step keeps the snapshot it took
        assertThat(snapshots.snapshots(id)).containsExactly("first");

        running();
        run("sh", "-c", "echo after > " + FILE + " && sync");
        quiet(snapshots);
        snapshots.snapshot(id, "second");
        assertThat(snapshots.snapshots(id)).containsExactly("first", "second");

        quiet(snapshots);
        snapshots.revert(id, "first");
        reverted(id);
        running();
        assertThat(run("cat", FILE).stdout()).isEqualTo("before\n");
        quiet(snapshots);
        snapshots.revert(id, "second");
        reverted(id);
        running();
        assertThat(run("cat", FILE).stdout()).isEqualTo("after\n");

        snapshots.deleteSnapshot(id, "first");
        snapshots.deleteSnapshot(id, "first");
        assertThat(snapshots.snapshots(id)).containsExactly("second");
        quiet(snapshots);
        assertThatThrownBy(() -> snapshots.revert(id, "first"))
                .isInstanceOf(DriverException.class).hasMessageContaining("no snapshot first");

        moreChecks(id, snapshots);
        driver().destroy(id);
        assertThat(driver().state(id)).isEqualTo(GuestState.ABSENT);
    }

    /** Stops the guest if the backend copies its disk. */
    private void quiet(Snapshots snapshots) {
        if (snapshots.needsStoppedGuest() && driver().state(id) == GuestState.RUNNING) {
            driver().stop(id, StopMode.graceful(Duration.ofSeconds(30)));
        }
    }

    private void running() {
        if (driver().state(id) != GuestState.RUNNING) driver().start(id);
    }

    /** Runs a command, retried until the guest answers (just started or resumed); it must exit 0. */
    protected ExecResult run(String... argv) throws InterruptedException {
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
