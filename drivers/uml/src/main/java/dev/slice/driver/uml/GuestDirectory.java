package dev.slice.driver.uml;

import dev.slice.driver.GuestId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One guest's files under {@code <dataDir>/uml/<id>/}. The driver's own files (record, settings disk,
 * console socket, boot log) belong to root; the guest's kernel may write only in {@link #ownDir()},
 * which belongs to the guest's host user: its disk, and the pid file and management console socket
 * that UML keeps in {@code own/vm/} ({@code uml_dir=<own> umid=vm}). A short umid keeps the socket path
 * inside the 108 bytes a Unix socket address allows.
 */
record GuestDirectory(GuestId id, Path dir) {
    static final String UMID = "vm";

    static GuestDirectory of(UmlSettings settings, GuestId id) {
        return new GuestDirectory(id, settings.guests().resolve(id.value()));
    }

    /** Written last by create: a guest exists exactly when its record does. */
    Path record() { return dir.resolve("guest.properties"); }

    /** Where the guest's kernel may write; nothing the driver trusts lives there. */
    Path ownDir() { return dir.resolve("own"); }

    /** The guest's writable disk: a UML copy-on-write file over the template image, made by UML on first boot. */
    Path cowDisk() { return ownDir().resolve("disk.cow"); }

    /** The small ext4 disk with hostname, credentials and network that the guest applies on first boot. */
    Path settingsDisk() { return dir.resolve("settings.img"); }

    /** Present while the guest is in rescue ({@link RescueRecord}): every start boots the rescue system. */
    Path rescueRecord() { return dir.resolve("rescue.properties"); }

    /** The rescue system's root: a fresh copy-on-write file over the rescue template's image, gone on leave. */
    Path rescueCow() { return ownDir().resolve("rescue.cow"); }

    /** The rescue system's settings disk: the guest's own hostname and network, the one-time root password. */
    Path rescueSettingsDisk() { return dir.resolve("rescue-settings.img"); }

    Path umlDir() { return ownDir().resolve(UMID); }

    Path pidFile() { return umlDir().resolve("pid"); }

    Path mconsoleSocket() { return umlDir().resolve("mconsole"); }

    /** dtach's socket: the guest's console, attachable by any number of clients at once. */
    Path consoleSocket() { return dir.resolve("console.sock"); }

    /** The named pipe the guest's agent line (ssl1, /dev/ttyS1 inside) reads: what the host sends to the agent. */
    Path agentToGuest() { return dir.resolve("agent.in"); }

    /** The named pipe the guest's agent line writes: the agent's replies. Root's, like everything the driver reads. */
    Path agentFromGuest() { return dir.resolve("agent.out"); }

    /** What cgexec and dtach print: why a guest failed to start (the kernel itself prints to its console). */
    Path bootLog() { return dir.resolve("boot.log"); }

    /** Removes a guest directory (or a half-built one) and everything in it; absent is fine. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove " + root, e);
        }
    }
}
