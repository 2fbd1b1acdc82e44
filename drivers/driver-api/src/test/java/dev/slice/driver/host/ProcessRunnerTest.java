package dev.slice.driver.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void argumentsReachTheProgramUnparsedByAnyShell() {
        ProcessResult result = runner.runChecked(HostCommand.of("printf", "%s|", "a b", "$(id)", ";rm -rf /"));
        assertThat(result.stdout()).isEqualTo("a b|$(id)|;rm -rf /|");
    }

    @Test
    void stdinIsFedAndOutputCaptured() {
        ProcessResult result = runner.runChecked(HostCommand.of("tr", "a-z", "A-Z")
                .withStdin("hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(result.stdout()).isEqualTo("HELLO");
    }

    @Test
    void aFailingCommandNamesItselfItsExitCodeAndItsErrorOutput() {
        assertThatThrownBy(() -> runner.runChecked(HostCommand.of("sh", "-c", "echo broken disk >&2; exit 3")))
                .isInstanceOf(HostCommandException.class)
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("broken disk")
                .hasMessageContaining("sh -c");
    }

    @Test
    void aCommandPastItsDeadlineIsKilled() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(HostCommand.of("sleep", "30").withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(HostCommandException.class)
                .hasMessageContaining("did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aMissingProgramSaysSo() {
        assertThatThrownBy(() -> runner.run(HostCommand.of("/nonexistent/slice-tool")))
                .isInstanceOf(HostCommandException.class)
                .hasMessageContaining("could not start");
    }

    @Test
    void aDetachedProcessOutlivesItsLauncherAndLogs(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("out.log");
        Path marker = dir.resolve("marker");
        runner.spawnDetached(HostCommand.of("sh", "-c", "echo started; sleep 0.2; touch " + marker), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(marker).exists();
        assertThat(Files.readString(log)).contains("started");
    }
}
