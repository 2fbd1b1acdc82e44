package dev.slice.driver.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of the optional {@link GuestExec} capability, for drivers that offer it (a driver without it does
 * not extend this class; {@link DriverContractTest} does not ask for it). One running guest for the whole class:
 * programs get their arguments as given, exit codes and both outputs come back apart, a program past its deadline
 * is killed in the guest together with what it started, and a file copied in runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GuestExecContractTest {
    protected static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    /** The driver under test. */
    protected abstract Driver driver();

    /** A spec whose template has a POSIX userland (sh, sleep, ps, printf, ls) and whatever the backend's exec needs. */
    protected abstract GuestSpec spec(GuestId id);

    /** How long the guest may take from start until it first runs a command; only an upper bound. */
    protected Duration readyTimeout() { return Duration.ofSeconds(60); }

    /** Called after create, before start (e.g. to check what exec says about a stopped guest). */
    protected void created(GuestId id) {}

    /** Called right after start, before the guest is known to run commands. */
    protected void started(GuestId id) {}

    private final GuestId id = GuestId.of("exec-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    private GuestExec exec;
    private Duration ready;

    @BeforeAll
    void startGuest() throws Exception {
        driver().create(spec(id));
        exec = driver().capability(GuestExec.class).orElseThrow(() -> new AssertionError(driver().name() + " offers no GuestExec"));
        created(id);
        long started = System.nanoTime();
        driver().start(id);
        started(id);
        long deadline = started + readyTimeout().toNanos();
        while (true) {
            try {
                if (exec.exec(id, ExecCommand.of(TEN_SECONDS, "true")).succeeded()) break;
            } catch (DriverException e) {
                if (System.nanoTime() > deadline) throw e;
            }
            Thread.sleep(100);
        }
        ready = Duration.ofNanos(System.nanoTime() - started);
    }

    @AfterAll
    void destroyGuest() {
        driver().destroy(id);
    }

    /** The running guest of this class. */
    protected GuestId guest() { return id; }

    protected GuestExec exec() { return exec; }

    /** From start until the guest first ran a command. */
    protected Duration startToFirstCommand() { return ready; }

    @Test
    void argumentsArriveAsGivenWithoutAShell() {
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "printf", "%s|", "two words", "$HOME", "a;b", "ü"));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("two words|$HOME|a;b|ü|");
    }

    @Test
    void exitCodeAndBothOutputsAreKeptApart() {
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "ls", "/no/such/dir"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("/no/such/dir");
        assertThat(result.stdout()).isEmpty();
        assertThat(exec.exec(id, ExecCommand.of(TEN_SECONDS, "sh", "-c", "echo out; echo err >&2; exit 7")))
                .isEqualTo(new ExecResult(7, "out\n", "err\n"));
    }

    @Test
    void aProgramPastItsDeadlineIsKilledInTheGuestWithWhatItStarted() {
        assertThatThrownBy(() -> exec.exec(id, ExecCommand.of(Duration.ofSeconds(2), "sh", "-c", "sleep 4321 & sleep 4322")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("sleep 4321 & sleep 4322");
        ExecResult processes = exec.exec(id, ExecCommand.of(TEN_SECONDS, "ps", "-eo", "args"));
        assertThat(processes.stdout()).doesNotContain("sleep 432");
    }

    @Test
    void aCopiedFileRunsInTheGuest(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hello");
        Files.writeString(script, "#!/bin/sh\necho \"hello with $1\"\n");
        exec.copyIn(id, script, "/opt/slice-tck/tools/hello", true);
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "/opt/slice-tck/tools/hello", "an argument"));
        assertThat(result.stdout()).isEqualTo("hello with an argument\n");
        Files.writeString(script, "#!/bin/sh\necho second\n");
        exec.copyIn(id, script, "/opt/slice-tck/tools/hello", true);
        assertThat(exec.exec(id, ExecCommand.of(TEN_SECONDS, "/opt/slice-tck/tools/hello")).stdout()).isEqualTo("second\n");
    }

    @Test
    void anAbsentGuestIsNamed() {
        GuestId absent = GuestId.of("noexec-" + Long.toString(System.nanoTime() % 1_000_000L, 36));
        assertThatThrownBy(() -> exec.exec(absent, ExecCommand.of(TEN_SECONDS, "true")))
                .isInstanceOf(GuestNotFoundException.class);
    }
}
