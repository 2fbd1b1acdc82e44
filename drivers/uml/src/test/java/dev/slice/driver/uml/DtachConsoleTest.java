package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dtach's client protocol against a real dtach holding a shell-less program, as it holds a guest's console. */
class DtachConsoleTest {
    @Test
    void keystrokesReachTheProgramAndItsOutputComesBackToEveryAttachment(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("console.sock");
        ProcessRunner processes = new ProcessRunner();
        // cat in a pty echoes each line twice: the pty's echo of the keystrokes, then cat's own output.
        processes.spawnDetached(HostCommand.of("dtach", "-n", socket.toString(), "-E", "-r", "none", "cat"),
                dir.resolve("dtach.log"));
        try {
            assertThat(Deadline.await(java.time.Clock.systemUTC(), Duration.ofSeconds(10), () -> Files.exists(socket)))
                    .isTrue();
            try (ConsoleReader first = new ConsoleReader(DtachConsole.attach(socket));
                 ConsoleReader second = new ConsoleReader(DtachConsole.attach(socket))) {
                first.type("a line longer than one eight-byte dtach packet\n");
                first.await(Pattern.compile("a line longer than one eight-byte dtach packet"), Duration.ofSeconds(10));
                second.await(Pattern.compile("a line longer than one eight-byte dtach packet"), Duration.ofSeconds(10));
            }
            // Detaching leaves the program running for the next client.
            try (ConsoleReader third = new ConsoleReader(DtachConsole.attach(socket))) {
                third.type("still here\n");
                third.await(Pattern.compile("still here"), Duration.ofSeconds(10));
            }
        } finally {
            ProcessHandle.allProcesses()
                    .filter(p -> GuestProcess.commandLine(p.pid()).contains(socket.toString()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }
}
