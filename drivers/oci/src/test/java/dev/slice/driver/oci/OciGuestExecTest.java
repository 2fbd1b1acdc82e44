package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
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

/** GuestExec against a real container: argument lists, exit codes, both outputs, deadlines, files copied in. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciGuestExecTest {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = OciTestHost.uniqueId("exec");
    private GuestExec exec;

    @BeforeAll
    void startGuest() {
        driver.create(OciTestHost.spec(id, 60));
        driver.start(id);
        exec = driver.capability(GuestExec.class).orElseThrow();
    }

    @AfterAll
    void destroyGuest() {
        driver.destroy(id);
    }

    @Test
    void argumentsArriveAsGivenWithoutAShell() {
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "printf", "%s|", "two words", "$HOME", "a;b"));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEqualTo("two words|$HOME|a;b|");
    }

    @Test
    void exitCodeAndErrorOutputAreKeptApart() {
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "ls", "/no/such/dir"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("/no/such/dir");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aProgramPastItsDeadlineIsKilledInsideTheGuest() {
        assertThatThrownBy(() -> exec.exec(id, ExecCommand.of(Duration.ofSeconds(1), "sleep", "4321")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("sleep 4321");
        ExecResult processes = exec.exec(id, ExecCommand.of(TEN_SECONDS, "ps", "-eo", "args"));
        assertThat(processes.stdout()).doesNotContain("sleep 4321");
    }

    @Test
    void aCopiedFileRunsInTheGuest(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("hello");
        Files.writeString(script, "#!/bin/sh\necho \"hello from $(hostname)\"\n");
        exec.copyIn(id, script, "/opt/slice-bench/hello", true);
        ExecResult result = exec.exec(id, ExecCommand.of(TEN_SECONDS, "/opt/slice-bench/hello"));
        assertThat(result.stdout().strip()).isEqualTo("hello from " + id.value() + ".test.slice");
    }

    @Test
    void anAbsentGuestIsNamed() {
        GuestId absent = OciTestHost.uniqueId("noexec");
        assertThatThrownBy(() -> exec.exec(absent, ExecCommand.of(TEN_SECONDS, "true")))
                .isInstanceOf(GuestNotFoundException.class);
    }

    @Test
    void aCommandNeedsAProgramAndADeadline() {
        assertThatThrownBy(() -> ExecCommand.of(TEN_SECONDS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExecCommand.of(Duration.ZERO, "true")).isInstanceOf(IllegalArgumentException.class);
    }
}
