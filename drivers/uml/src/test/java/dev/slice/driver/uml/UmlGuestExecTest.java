package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * GuestExec on real UML guests: the benchmark template (deploy/uml/build.sh debian-12-bench) runs Slice's guest
 * agent on its second serial line; the customers' debian-12 template has none, and says so.
 */
class UmlGuestExecTest {
    private final UmlDriver driver = TestGuests.driver();

    private static GuestSpec bench(GuestId id, int octet) {
        GuestSpec spec = TestGuests.spec(id, 1, 256, octet);
        return new GuestSpec(spec.id(), spec.hostname(), spec.resources(), "debian-12-bench", spec.network(), spec.credentials());
    }

    /** The agent starts with the guest's services; until then calls fail, so the first one is retried. */
    private ExecResult firstExec(GuestId id, ExecCommand command) {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            try {
                return driver.exec(id, command);
            } catch (DriverException notYet) {
                if (Instant.now().isAfter(deadline)) throw notYet;
            }
        }
    }

    @Test
    void programsRunInABenchmarkGuestWithOutputExitCodeDeadlinesAndCopiedTools() throws Exception {
        GuestId id = TestGuests.id("uml-exec");
        try {
            driver.create(bench(id, 50));
            assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(Duration.ofSeconds(5), "true")))
                    .isInstanceOf(DriverException.class).hasMessageContaining("is not running");
            driver.start(id);
            assertThat(firstExec(id, ExecCommand.of(Duration.ofSeconds(10), "hostname")).stdout().strip())
                    .isEqualTo(id.value() + ".uml.test");

            ExecResult result = driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "sh", "-c",
                    "echo out; uname -m; echo err >&2; exit 7"));
            assertThat(result.exitCode()).isEqualTo(7);
            assertThat(result.stdout()).isEqualTo("out\nx86_64\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            // The benchmark tools are there.
            assertThat(driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "sysbench", "--version")).stdout()).startsWith("sysbench");

            assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(Duration.ofSeconds(2), "sh", "-c",
                    "sleep 991 & sleep 992")))
                    .isInstanceOf(DriverException.class)
                    .hasMessageContaining("did not finish within PT2S")
                    .hasMessageContaining("process group was killed");
            ExecResult ps = driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "ps", "-eo", "args"));
            assertThat(ps.stdout()).contains("slice-guest-agent").doesNotContain("sleep 99");

            Path yardstick = TestGuests.host().dataDir().resolve("bench/x86_64/slice-yardstick");
            assertThat(yardstick).as("deploy/reports/build.sh builds the yardstick").isExecutable();
            long start = System.nanoTime();
            driver.copyIn(id, yardstick, "/opt/slice-bench/slice-yardstick", true);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("copyIn of %d bytes into the UML guest: %.1f s (%.0f bytes/s; load %s)%n",
                    Files.size(yardstick), seconds, Files.size(yardstick) / seconds,
                    Files.readString(Path.of("/proc/loadavg")).strip());
            ExecResult sum = driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "sha256sum", "/opt/slice-bench/slice-yardstick"));
            assertThat(sum.stdout()).startsWith(sha256(yardstick));
            ExecResult run = driver.exec(id, ExecCommand.of(Duration.ofSeconds(60), "/opt/slice-bench/slice-yardstick",
                    "-t", "200", "syscall"));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).startsWith("syscall_null ");
        } finally {
            driver.destroy(id);
        }
    }

    @Test
    void aCustomerTemplateWithoutTheAgentIsAClearError() throws Exception {
        GuestId id = TestGuests.id("uml-noagent");
        try {
            driver.create(TestGuests.spec(id, 1, 128, 51));
            driver.start(id);
            assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(Duration.ofSeconds(5), "true")))
                    .isInstanceOf(DriverException.class)
                    .hasMessageContaining("UML guest " + id)
                    .hasMessageContaining("guest agent did not answer")
                    .hasMessageContaining("use a benchmark template");
            // The pipes the driver trusts are root's, outside the guest's own directory, and nobody else's.
            GuestDirectory guest = driver.guest(id);
            assertThat(Files.getOwner(guest.agentToGuest()).getName()).isEqualTo("root");
            assertThat(Files.getPosixFilePermissions(guest.agentFromGuest())).hasSize(2);
            assertThat(guest.agentToGuest().startsWith(guest.ownDir())).isFalse();
        } finally {
            driver.destroy(id);
        }
    }

    private static String sha256(Path file) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(digest);
    }
}
