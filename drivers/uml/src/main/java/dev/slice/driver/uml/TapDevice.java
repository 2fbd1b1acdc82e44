package dev.slice.driver.uml;

import dev.slice.driver.GuestId;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The host end of a guest's eth0: a persistent TAP device on the node bridge that UML opens by name
 * ({@code eth0=tuntap,<tap>,<mac>}). Persistent, so it is there again for a restarted guest, and
 * recreated by {@link #ensure} after a host reboot.
 */
final class TapDevice {
    private final ProcessRunner processes;

    TapDevice(ProcessRunner processes) {
        this.processes = processes;
    }

    /** A name within the 15 characters Linux allows, stable for the guest id. */
    static String nameFor(GuestId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
            return "uml-" + HexFormat.of().formatHex(digest).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean exists(String tap) {
        return Files.isDirectory(Path.of("/sys/class/net", tap));
    }

    void ensure(String tap, String bridge) {
        new HostBridge(processes).ensure(bridge);
        if (!exists(tap)) {
            ProcessResult created = processes.run(HostCommand.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
            if (!created.succeeded() && !exists(tap)) {
                processes.runChecked(HostCommand.of("ip", "tuntap", "add", "dev", tap, "mode", "tap"));
            }
        }
        processes.runChecked(HostCommand.of("ip", "link", "set", "dev", tap, "master", bridge));
        processes.runChecked(HostCommand.of("ip", "link", "set", "dev", tap, "up"));
    }

    /** Counters as the host sees them: the guest's received bytes are the TAP's transmitted ones. */
    static long[] guestRxTx(String tap) {
        Path stats = Path.of("/sys/class/net", tap, "statistics");
        try {
            long hostTx = Long.parseLong(Files.readString(stats.resolve("tx_bytes")).strip());
            long hostRx = Long.parseLong(Files.readString(stats.resolve("rx_bytes")).strip());
            return new long[] {hostTx, hostRx};
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    void remove(String tap) {
        if (exists(tap)) {
            ProcessResult removed = processes.run(HostCommand.of("ip", "link", "del", "dev", tap));
            if (!removed.succeeded() && exists(tap)) {
                processes.runChecked(HostCommand.of("ip", "link", "del", "dev", tap));
            }
        }
    }
}
