package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * GuestExec on a real emulator guest (the busybox initramfs of deploy/emulator/build.sh): Slice's guest agent on
 * the machine's second UART runs programs, keeps their output apart, kills at the deadline, and takes in the
 * riscv64 yardstick of deploy/reports, which then runs.
 */
class EmulatorGuestExecTest {
    private final EmulatorDriver driver = TestGuests.driver();

    /** The agent starts at the end of the guest's init; until then calls fail, so the first one is retried. */
    private ExecResult firstExec(GuestId id, ExecCommand command) {
        Instant deadline = Instant.now().plusSeconds(180);
        while (true) {
            try {
                return driver.exec(id, command);
            } catch (DriverException notYet) {
                if (Instant.now().isAfter(deadline)) throw notYet;
            }
        }
    }

    @Test
    void programsAndACopiedYardstickRunInAnEmulatorGuest() throws Exception {
        GuestId id = TestGuests.id("emu-exec");
        try {
            driver.create(TestGuests.spec(id, 128));
            assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(Duration.ofSeconds(5), "true")))
                    .isInstanceOf(DriverException.class).hasMessageContaining("is not running");
            driver.start(id);
            assertThat(firstExec(id, ExecCommand.of(Duration.ofSeconds(30), "uname", "-m")).stdout()).isEqualTo("riscv64\n");

            ExecResult result = driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "sh", "-c", "echo out; echo err >&2; exit 5"));
            assertThat(result.exitCode()).isEqualTo(5);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");

            assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(Duration.ofSeconds(3), "sh", "-c", "sleep 881 & sleep 882")))
                    .isInstanceOf(DriverException.class)
                    .hasMessageContaining("did not finish within PT3S")
                    .hasMessageContaining("process group was killed");
            assertThat(driver.exec(id, ExecCommand.of(Duration.ofSeconds(30), "ps")).stdout()).doesNotContain("sleep 88");

            Path yardstick = TestGuests.host().dataDir().resolve("bench/riscv64/slice-yardstick");
            assertThat(yardstick).as("deploy/reports/build.sh builds the riscv64 yardstick").isExecutable();
            long start = System.nanoTime();
            driver.copyIn(id, yardstick, "/tmp/bench/slice-yardstick", true);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("copyIn of %d bytes into the emulator guest: %.1f s (%.0f bytes/s; load %s)%n",
                    Files.size(yardstick), seconds, Files.size(yardstick) / seconds,
                    Files.readString(Path.of("/proc/loadavg")).strip());
            ExecResult run = driver.exec(id, ExecCommand.of(Duration.ofSeconds(120), "/tmp/bench/slice-yardstick",
                    "-t", "200", "syscall"));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).startsWith("syscall_null ");
        } finally {
            driver.destroy(id);
        }
    }
}
