package dev.slice.driver.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent (built here from deploy/guest-agent with gcc) on a real pty, reached the way UML's agent
 * line is: through two named pipes that a relay ({@code socat}) joins to the pty's master, so bytes cross
 * a terminal line discipline on their way, and every call is a new link that finds whatever earlier ones left.
 */
class GuestAgentTest {
    @TempDir
    static Path dir;
    private static Process relay;
    private static Process agent;
    private static Path toGuest;
    private static Path fromGuest;
    private static final ProcessRunner RUNNER = new ProcessRunner();

    @BeforeAll
    static void startAgentOnAPty() throws Exception {
        Path source = Path.of("../../deploy/guest-agent/slice-guest-agent.c").toAbsolutePath().normalize();
        Path binary = dir.resolve("slice-guest-agent");
        RUNNER.runChecked(HostCommand.of("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                source.toString()).withTimeout(Duration.ofMinutes(2)));
        toGuest = dir.resolve("agent.in");
        fromGuest = dir.resolve("agent.out");
        RUNNER.runChecked(HostCommand.of("mkfifo", "-m", "0600", toGuest.toString(), fromGuest.toString()));
        Path tty = dir.resolve("tty");
        relay = new ProcessBuilder("socat", "PTY,link=" + tty + ",rawer,wait-slave",
                "OPEN:" + toGuest + ",rdwr!!OPEN:" + fromGuest + ",rdwr")
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Files.exists(tty) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(tty).exists();
        agent = new ProcessBuilder(binary.toString(), tty.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.destroyForcibly();
        if (relay != null) relay.destroyForcibly();
    }

    private static GuestAgentClient client() {
        return new GuestAgentClient("test guest", () -> FifoLink.open(toGuest, fromGuest), Duration.ofSeconds(10), 100_000,
                GuestAgentClient.TTY_FRAME_MAX);
    }

    @Test
    void theAgentGreetsWithItsVersionAndMachine() {
        GuestAgentClient.Hello hello = client().hello();
        assertThat(hello.protocol()).isEqualTo(1);
        assertThat(hello.version()).isEqualTo("1.0");
        assertThat(hello.machine()).isEqualTo(System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
    }

    @Test
    void execReturnsExitCodeStdoutAndStderrApart() {
        ExecResult result = client().exec(ExecCommand.of(Duration.ofSeconds(20), "sh", "-c",
                "printf 'out\\r\\n\\001\\023\\021'; echo err >&2; exit 3"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\r\n\u0001\u0013\u0011");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void argumentsAreNotParsedByAShell() {
        ExecResult result = client().exec(ExecCommand.of(Duration.ofSeconds(20), "printf", "%s|", "a b", "$(id)", ""));
        assertThat(result.stdout()).isEqualTo("a b|$(id)||");
    }

    @Test
    void aProgramKilledByASignalReportsTheShellsConvention() {
        assertThat(client().exec(ExecCommand.of(Duration.ofSeconds(20), "sh", "-c", "kill -TERM $$")).exitCode()).isEqualTo(128 + 15);
    }

    @Test
    void aMissingProgramIsADriverErrorNamingIt() {
        assertThatThrownBy(() -> client().exec(ExecCommand.of(Duration.ofSeconds(20), "/no/such/tool", "x")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("cannot execute /no/such/tool")
                .hasMessageContaining("No such file");
    }

    @Test
    void atTheDeadlineTheWholeProcessGroupIsKilled() throws Exception {
        String marker = "sleep 317.5";
        assertThatThrownBy(() -> client().exec(ExecCommand.of(Duration.ofSeconds(1), "sh", "-c",
                "echo started; " + marker + " & " + marker + "; echo never")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("did not finish within PT1S")
                .hasMessageContaining("process group was killed")
                .hasMessageContaining("stdout: 'started' stderr: (none)");
        String ps = RUNNER.runChecked(HostCommand.of("ps", "-eo", "args")).stdout();
        assertThat(ps).doesNotContain(marker);
        // The agent goes on serving.
        assertThat(client().exec(ExecCommand.of(Duration.ofSeconds(20), "true")).exitCode()).isZero();
    }

    @Test
    void outputBeyondTheBoundIsCutAndTheCutNoted() {
        ExecResult result = client().exec(ExecCommand.of(Duration.ofSeconds(60), "head", "-c", "3000000", "/dev/zero"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).hasSize(GuestAgentClient.STDOUT_MAX);
        assertThat(result.stderr()).contains("stdout cut at 1048576 bytes");
    }

    @Test
    void copyInWritesEveryByteAndTheModeAndTheFileRunsAfter() throws Exception {
        byte[] content = new byte[600_000];
        new Random(7).nextBytes(content);
        byte[] frameInside = new AgentFrame(0x82, 1, new byte[3]).encode();
        System.arraycopy(frameInside, 0, content, 1000, frameInside.length);
        Path host = dir.resolve("blob");
        Files.write(host, content);
        Path target = dir.resolve("deep/er/blob");
        client().copyIn(host, target.toString(), false);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(target.resolveSibling("blob.slice-part")).doesNotExist();

        Path script = dir.resolve("tool.sh");
        Files.writeString(script, "#!/bin/sh\necho ran with \"$1\"\n");
        Path installed = dir.resolve("bin/tool");
        client().copyIn(script, installed.toString(), true);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installed))).isEqualTo("rwxr-xr-x");
        assertThat(client().exec(ExecCommand.of(Duration.ofSeconds(20), installed.toString(), "x y")).stdout()).isEqualTo("ran with x y\n");

        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        client().copyIn(empty, dir.resolve("copied-empty").toString(), false);
        assertThat(dir.resolve("copied-empty")).isEmptyFile();
    }

    @Test
    void garbageAStaleRequestAndATornFrameOnTheLineCostNothingButTime() throws IOException {
        try (FifoLink link = FifoLink.open(toGuest, fromGuest)) {
            OutputStream line = link.out();
            byte[] noise = new byte[3000];
            new Random(3).nextBytes(noise);
            line.write(noise);
            // An abandoned client's request: its reply stays in the pipe for the next client to pass over.
            byte[] exec = new Payload.Writer().u32(5000).u32(100).u32(100).u32(2).string("echo").string("stale").toBytes();
            line.write(new AgentFrame(AgentFrame.EXEC, 12345, exec).encode());
            // A client that died half-way through a large frame.
            line.write(Arrays.copyOf(new AgentFrame(AgentFrame.WRITE, 777, new byte[200_000]).encode(), 5000));
            line.flush();
        }
        ExecResult result = client().exec(ExecCommand.of(Duration.ofSeconds(20), "echo", "fresh"));
        assertThat(result.stdout()).isEqualTo("fresh\n");
    }

    @Test
    void aLineWithoutAnAgentIsAClearDriverError() throws IOException {
        Path in = dir.resolve("silent.in");
        Path out = dir.resolve("silent.out");
        RUNNER.runChecked(HostCommand.of("mkfifo", in.toString(), out.toString()));
        GuestAgentClient nobody = new GuestAgentClient("UML guest quiet-1", () -> FifoLink.open(in, out), Duration.ofMillis(500), 100_000,
                GuestAgentClient.TTY_FRAME_MAX);
        assertThatThrownBy(() -> nobody.exec(ExecCommand.of(Duration.ofSeconds(5), "true")))
                .isInstanceOf(DriverException.class)
                .hasMessageContaining("UML guest quiet-1")
                .hasMessageContaining("did not answer within PT0.5S")
                .hasMessageContaining("slice-guest-agent");
        assertThat(new String(Files.readAllBytes(dir.resolve("agent.log")), StandardCharsets.UTF_8)).contains("serving");
    }
}
