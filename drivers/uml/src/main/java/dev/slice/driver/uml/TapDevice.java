package dev.slice.driver.uml;

import dev.slice.driver.GuestId;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.InterfaceNames;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host end of a guest's eth0: a persistent TAP device on the node bridge that UML opens by name
 * ({@code vec0:transport=tap,ifname=<tap>}). It belongs to the guest's host user, the only one (but
 * root) that may attach to it. Persistent, so it is there again for a restarted guest, and recreated
 * by {@link #ensure} after a host reboot.
 */
final class TapDevice {
    private final ProcessRunner processes;

    TapDevice(ProcessRunner processes) {
        this.processes = processes;
    }

    /** A name within the 15 characters Linux allows, stable for the guest id. */
    static String nameFor(GuestId id) {
        return InterfaceNames.hashed("uml-", id.value());
    }

    static boolean exists(String tap) {
        return Files.isDirectory(Path.of("/sys/class/net", tap));
    }

    void ensure(String tap, String bridge, long owner) {
        new HostBridge(processes).ensure(bridge);
        // A TAP left by an earlier guest of the same id (or made before TAPs had owners) is made anew.
        if (exists(tap) && owner(tap) != owner) remove(tap);
        if (!exists(tap)) {
            HostCommand add = HostCommand.of("ip", "tuntap", "add", "dev", tap, "mode", "tap", "user", Long.toString(owner));
            ProcessResult created = processes.run(add);
            if (!created.succeeded() && !exists(tap)) processes.runChecked(add);
        }
        processes.runChecked(HostCommand.of("ip", "link", "set", "dev", tap, "master", bridge));
        processes.runChecked(HostCommand.of("ip", "link", "set", "dev", tap, "up"));
    }

    /** The user id the TAP admits, or -1 when it admits any user with CAP_NET_ADMIN only. */
    static long owner(String tap) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", tap, "owner")).strip());
        } catch (Exception e) {
            return -1;
        }
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
