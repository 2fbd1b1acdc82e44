package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console several viewers share, against a real dtach holding a small shell loop in place of a guest: a late
 * viewer starts with what was printed before it came, the pty takes the smallest viewer's size, and every viewer
 * reads the end when the program (the guest's kernel) exits.
 */
class SharedConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir Path dir;
    private Path socket;

    /** Prints the pty's size ("rows cols") for each line typed; "quit" ends it as a stopping kernel would. */
    private SharedConsole start() throws Exception {
        startDtach();
        return SharedConsole.attach(socket, "test", () -> {});
    }

    private void startDtach() {
        socket = dir.resolve("console.sock");
        new ProcessRunner().spawnDetached(HostCommand.of("dtach", "-n", socket.toString(), "-E", "-r", "none", "sh", "-c",
                "while read line; do [ \"$line\" = quit ] && exit 0; echo \"said:$line\"; stty size; done"),
                dir.resolve("dtach.log"));
        assertThat(Deadline.await(Clock.systemUTC(), WAIT, () -> Files.exists(socket))).isTrue();
    }

    @Test
    void theDriverAttachesOnTheFirstViewerWhenItDidNotStartTheGuestAndANewBootGetsANewConsole() throws Exception {
        GuestConsoles consoles = new GuestConsoles();
        GuestId id = GuestId.of("shared-console-test");
        startDtach();
        try (ConsoleReader first = new ConsoleReader(consoles.open(id, socket))) {
            first.type("first-boot\n");
            first.await(Pattern.compile("said:first-boot"), WAIT);
            first.type("quit\n");
        }
        assertThat(Deadline.await(Clock.systemUTC(), WAIT, () -> !Files.exists(socket))).isTrue();
        startDtach();
        try (ConsoleReader second = new ConsoleReader(consoles.open(id, socket))) {
            second.type("second-boot\n");
            second.await(Pattern.compile("said:second-boot"), WAIT);
            assertThat(second.transcript()).doesNotContain("first-boot");
        }
    }

    @AfterEach
    void stopDtach() {
        ProcessHandle.allProcesses().filter(p -> GuestProcess.commandLine(p.pid()).contains(socket.toString()))
                .forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aViewerThatComesLaterStartsWithWhatWasPrintedBeforeIt() throws Exception {
        SharedConsole console = start();
        try (ConsoleReader first = new ConsoleReader(console.newViewer().orElseThrow())) {
            first.type("before-the-second\n");
            first.await(Pattern.compile("said:before-the-second"), WAIT);
        }
        // Nobody watches while this is printed: dtach alone would show it to no one.
        try (ConsoleReader nobody = new ConsoleReader(console.newViewer().orElseThrow())) {
            nobody.type("while-nobody-watched\n");
        }
        try (ConsoleReader late = new ConsoleReader(console.newViewer().orElseThrow())) {
            late.await(Pattern.compile("said:before-the-second"), WAIT);
            late.await(Pattern.compile("said:while-nobody-watched"), WAIT);
            late.type("typed-by-the-late-one\n");
            late.await(Pattern.compile("said:typed-by-the-late-one"), WAIT);
        }
    }

    @Test
    void thePtyTakesTheSmallestViewersSizeAndGrowsBackWhenItLeaves() throws Exception {
        SharedConsole console = start();
        ConsoleStream laptop = console.newViewer().orElseThrow();
        ConsoleStream phone = console.newViewer().orElseThrow();
        try (ConsoleReader screen = new ConsoleReader(laptop)) {
            laptop.windowResize().orElseThrow().resize(new TerminalSize(40, 120));
            screen.type("one\n");
            screen.await(Pattern.compile("(?m)^40 120\\r?$"), WAIT);

            phone.windowResize().orElseThrow().resize(new TerminalSize(50, 45));
            screen.type("two\n");
            screen.await(Pattern.compile("(?m)^40 45\\r?$"), WAIT);

            phone.close();
            screen.type("three\n");
            screen.await(Pattern.compile("(?m)^40 120\\r?$"), WAIT);
        }
    }

    @Test
    void everyViewerReadsTheEndWhenTheProgramExits() throws Exception {
        SharedConsole console = start();
        ConsoleStream one = console.newViewer().orElseThrow();
        ConsoleStream two = console.newViewer().orElseThrow();
        CompletableFuture<Boolean> oneEnded = CompletableFuture.supplyAsync(() -> readsToTheEnd(one));
        CompletableFuture<Boolean> twoEnded = CompletableFuture.supplyAsync(() -> readsToTheEnd(two));
        one.toGuest().write("quit\n".getBytes());
        assertThat(oneEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(twoEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Deadline.await(Clock.systemUTC(), WAIT, console::ended)).isTrue();
        assertThat(console.newViewer()).isEmpty();
    }

    private static boolean readsToTheEnd(ConsoleStream viewer) {
        try {
            while (viewer.fromGuest().read(new byte[256]) >= 0) {
                // what the program printed last
            }
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
