package dev.slice.driver.emulator;

import dev.slice.driver.GuestId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One guest's files under {@code <dataDir>/emulator/guests/<id>/}: everything a driver instance needs to find,
 * control and adopt the guest, so a Slice restart loses nothing.
 */
record GuestDirectory(GuestId id, Path dir) {
    /** A Unix socket address holds at most 107 bytes of path. */
    static final int MAX_SOCKET_PATH = 107;

    static GuestDirectory of(EmulatorSettings settings, GuestId id) {
        return new GuestDirectory(id, settings.guests().resolve(id.value()));
    }

    /** Written last by create: a guest exists exactly when its record does. */
    Path record() { return dir.resolve("guest.properties"); }

    /** The guest's disk: a copy-on-write overlay over the template's image. */
    Path disk() { return dir.resolve("disk.cow"); }

    /** The emulator's UART ({@code --console unix:...}). */
    Path consoleSocket() { return dir.resolve("console.sock"); }

    /** The emulator's second UART ({@code --agent-line unix:...}), ttyS1 in the guest: Slice's guest agent. */
    Path agentSocket() { return dir.resolve("agent.sock"); }

    /** Written by the emulator once its console listens ({@code --pid-file}). */
    Path pidFile() { return dir.resolve("emulator.pid"); }

    /** The pid and start time the driver saw, so a reused pid is never taken for the guest. */
    Path processFile() { return dir.resolve("process"); }

    /** The guest's network card, when its spec has one ({@link GuestNetwork}). */
    Path network() { return dir.resolve("network.properties"); }

    /** A suspended guest's whole machine, written by the emulator on SIGUSR1 and read by {@code --resume}. */
    Path machineState() { return dir.resolve("machine.state"); }

    /** The emulator's own output (JVM messages, power requests); the guest's console goes to the socket. */
    Path log() { return dir.resolve("emulator.log"); }

    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
