package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.tck.GuestExecContractTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GuestExec through the QEMU guest agent, against a real guest of the benchmark template (debian-12-bench, built by
 * {@code deploy/libvirt/build.sh debian-12-bench}) booted by the real libvirtd (TCG on this machine): the driver-tck
 * contract, and the field's tools, deadlines, chunked copies and the agent's absence.
 */
class GuestAgentExecTest extends GuestExecContractTest {
    private final LibvirtDriver driver = TestHost.qemuDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected GuestSpec spec(GuestId id) { return TestHost.benchSpec(id, 205); }

    /** Only an upper bound: TCG on two shared cores. */
    @Override
    protected Duration readyTimeout() { return Duration.ofSeconds(240); }

    @Override
    protected void created(GuestId id) {
        assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(TEN_SECONDS, "true")))
                .isInstanceOf(DriverException.class).hasMessageContaining("is not running");
    }

    /** Just started: the kernel has not even run, so no agent can answer yet; the call says so at once. */
    @Override
    protected void started(GuestId id) {
        assertThatThrownBy(() -> driver.exec(id, ExecCommand.of(TEN_SECONDS, "true")))
                .isInstanceOf(DriverException.class).hasMessageContaining("no QEMU guest agent answering");
    }

    @AfterAll
    void report() throws Exception {
        System.out.printf("guest agent of %s answered %.1f s after start (load %s)%n", guest(),
                startToFirstCommand().toMillis() / 1000.0, Files.readString(Path.of("/proc/loadavg")).strip());
        driver.close();
    }

    @Test
    void theBenchmarkToolsRun() {
        ExecResult sysbench = exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "sysbench", "--version"));
        assertThat(sysbench.exitCode()).isZero();
        assertThat(sysbench.stdout()).startsWith("sysbench 1.");
        assertThat(exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "fio", "--version")).stdout()).startsWith("fio-3.");
        assertThat(exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "iperf3", "--version")).stdout()).startsWith("iperf 3.");
        ExecResult perf = exec().exec(guest(), ExecCommand.of(Duration.ofSeconds(60), "perf", "bench", "syscall", "basic",
                "--loop", "10000"));
        assertThat(perf.exitCode()).as(perf.stderr()).isZero();
        assertThat(perf.stdout()).contains("ops/sec");
    }

    @Test
    void theDeadlineIsKeptAndNamed() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> exec().exec(guest(), ExecCommand.of(Duration.ofSeconds(1), "sleep", "4323")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("did not end within its deadline of 1000 ms");
        // The deadline, the kill and its reaping: far less than the sleep.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aMissingProgramIsACleanFailure() {
        assertThatThrownBy(() -> exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "no-such-program", "x")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("could not be started")
                .hasMessageContaining("no-such-program");
    }

    @Test
    void aLargerFileArrivesIntactInChunks(@TempDir Path dir) throws Exception {
        byte[] content = new byte[GuestAgent.CHUNK_BYTES * 3 + 12345];
        new Random(42).nextBytes(content);
        Path file = dir.resolve("blob");
        Files.write(file, content);
        exec().copyIn(guest(), file, "/tmp/slice-blob", false);
        ExecResult sum = exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "sha256sum", "/tmp/slice-blob"));
        assertThat(sum.stdout()).startsWith(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        assertThat(exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "stat", "-c", "%a", "/tmp/slice-blob")).stdout())
                .isEqualTo("644\n");
    }

    @Test
    void aCopiedFileSeesTheGuestsOwnSettings(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("whoami");
        Files.writeString(script, "#!/bin/sh\nhostname\n");
        exec().copyIn(guest(), script, "/usr/local/bin/slice-whoami", true);
        assertThat(exec().exec(guest(), ExecCommand.of(TEN_SECONDS, "slice-whoami")).stdout().strip())
                .isEqualTo(spec(guest()).hostname());
    }

    @Test
    void xenDomainsOfferNoGuestExec() {
        try (LibvirtDriver xen = new LibvirtDriver("xen:///system", TestHost.dataDir(), new ProcessRunner(), Clock.systemUTC())) {
            assertThat(xen.capability(GuestExec.class)).isEmpty();
        }
        assertThat(driver.capability(GuestExec.class)).containsSame(driver);
    }
}
