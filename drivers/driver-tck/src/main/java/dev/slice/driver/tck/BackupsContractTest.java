package dev.slice.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Backups;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link Backups} contract, against a driver's real backend: a file written in the guest before an export is back
 * after a restore of that archive onto the same guest (what was written since is gone), and in a second guest of the
 * same template restored from it (a new server); a running guest is refused where the backend needs it stopped; a
 * missing archive is named; no partial file is left beside an archive. Files are written and read through
 * {@link GuestExec}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackupsContractTest {
    private static final Duration COMMAND = Duration.ofSeconds(20);
    private static final String FILE = "/root/slice-backup-test";

    protected abstract Driver driver();

    /** A spec of a template whose guests run {@link GuestExec} commands. */
    protected abstract GuestSpec spec(GuestId id);

    /** From a start until the guest runs commands. */
    protected Duration readyTimeout() { return Duration.ofSeconds(120); }

    private final String suffix = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final GuestId id = GuestId.of("bak-" + suffix);
    private final GuestId other = GuestId.of("bakn-" + suffix);

    @TempDir Path store;

    @AfterAll
    void destroyGuests() {
        driver().destroy(id);
        driver().destroy(other);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aRestoreBringsBackTheDiskAsItWasWhenTheBackupWasWritten() throws Exception {
        Backups backups = driver().capability(Backups.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no Backups"));
        Path archive = store.resolve("server-1/backup-1.tar");
        driver().create(spec(id));
        driver().start(id);
        run(id, "sh", "-c", "echo before > " + FILE + " && sync");
        if (backups.needsStoppedGuest()) {
            assertThatThrownBy(() -> backups.exportDisk(id, archive))
                    .isInstanceOf(DriverException.class).hasMessageContaining("stop it first");
            assertThat(archive).doesNotExist();
        }

        quiet(backups, id);
        backups.exportDisk(id, archive);
        backups.exportDisk(id, archive); // a repeated step writes the same archive again
        assertThat(archive).isRegularFile();
        assertThat(Files.size(archive)).isPositive();
        try (var files = Files.list(archive.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("backup-1.tar");
        }

        running(id);
        run(id, "sh", "-c", "echo after > " + FILE + " && echo new > " + FILE + ".new && sync");
        quiet(backups, id);
        backups.restoreDisk(id, archive);
        assertThat(driver().state(id)).as("a restore leaves the guest stopped").isEqualTo(GuestState.STOPPED);
        running(id);
        assertThat(run(id, "cat", FILE).stdout()).isEqualTo("before\n");
        assertThat(run(id, "sh", "-c", "test -e " + FILE + ".new && echo present || echo gone").stdout()).isEqualTo("gone\n");

        // Onto another guest of the same template: what a customer does after deleting the first server. (The first
        // is stopped: both specs may carry one address.)
        driver().stop(id, StopMode.graceful(Duration.ofSeconds(30)));
        driver().create(spec(other));
        backups.restoreDisk(other, archive);
        running(other);
        assertThat(run(other, "cat", FILE).stdout()).isEqualTo("before\n");

        assertThatThrownBy(() -> backups.restoreDisk(id, store.resolve("missing.tar")))
                .isInstanceOf(DriverException.class).hasMessageContaining("missing.tar");
        driver().destroy(id);
        assertThat(archive).as("the archive outlives its guest").isRegularFile();
    }

    private void quiet(Backups backups, GuestId guest) {
        if (backups.needsStoppedGuest() && driver().state(guest) == GuestState.RUNNING) {
            driver().stop(guest, StopMode.graceful(Duration.ofSeconds(30)));
        }
    }

    private void running(GuestId guest) {
        if (driver().state(guest) != GuestState.RUNNING) driver().start(guest);
    }

    /** Runs a command, retried until the guest answers (just started); it must exit 0. */
    protected ExecResult run(GuestId guest, String... argv) throws InterruptedException {
        GuestExec exec = driver().capability(GuestExec.class)
                .orElseThrow(() -> new AssertionError(driver().name() + " offers no GuestExec"));
        long deadline = System.nanoTime() + readyTimeout().toNanos();
        while (true) {
            try {
                ExecResult result = exec.exec(guest, ExecCommand.of(COMMAND, argv));
                assertThat(result.exitCode()).as("%s: %s", String.join(" ", argv), result.stderr()).isZero();
                return result;
            } catch (DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }
}
