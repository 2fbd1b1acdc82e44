package dev.slice.driver.host;

import dev.slice.driver.GuestId;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host end of a guest's eth0: a persistent TAP device on the node bridge that the guest's process opens by
 * name (UML: {@code vec0:transport=tap,ifname=<tap>}; the emulator: {@code --net tap:<tap>}). It belongs to the
 * host user the guest runs as, the only one (but root) that may attach to it, so that process needs no
 * privilege. Persistent, so it is there again for a restarted guest, and recreated by {@link #ensure} after a
 * host reboot.
 */
public final class TapDevice {
    private final ProcessRunner processes;

    public TapDevice(ProcessRunner processes) {
        this.processes = processes;
    }

    /** {@code prefix} (one per backend, e.g. {@code uml-}) and a hash of the guest id: stable, within Linux's 15 characters. */
    public static String nameFor(String prefix, GuestId id) {
        return InterfaceNames.hashed(prefix, id.value());
    }

    public static boolean exists(String tap) {
        return Files.isDirectory(Path.of("/sys/class/net", tap));
    }

    /** Makes the TAP (owned by user {@code owner}) if needed, on {@code bridge} (made if needed), and up. Idempotent. */
    public void ensure(String tap, String bridge, long owner) {
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
    public static long owner(String tap) {
        try {
            return Long.parseLong(Files.readString(Path.of("/sys/class/net", tap, "owner")).strip());
        } catch (Exception e) {
            return -1;
        }
    }

    /** Counters as the host sees them: the guest's received bytes are the TAP's transmitted ones. */
    public static long[] guestRxTx(String tap) {
        long[] all = guestCounters(tap);
        return new long[] {all[0], all[1]};
    }

    /**
     * Bytes received, bytes sent, frames received and frames sent by the guest, from the TAP's counters (what
     * the host transmits on it the guest receives); -1 each when the TAP is missing.
     */
    public static long[] guestCounters(String tap) {
        Path stats = Path.of("/sys/class/net", tap, "statistics");
        try {
            return new long[] {counter(stats, "tx_bytes"), counter(stats, "rx_bytes"),
                    counter(stats, "tx_packets"), counter(stats, "rx_packets")};
        } catch (Exception e) {
            return new long[] {-1, -1, -1, -1};
        }
    }

    private static long counter(Path stats, String name) throws java.io.IOException {
        return Long.parseLong(Files.readString(stats.resolve(name)).strip());
    }

    /** Removes the TAP; a missing one is fine. */
    public void remove(String tap) {
        if (exists(tap)) {
            ProcessResult removed = processes.run(HostCommand.of("ip", "link", "del", "dev", tap));
            if (!removed.succeeded() && exists(tap)) {
                processes.runChecked(HostCommand.of("ip", "link", "del", "dev", tap));
            }
        }
    }
}
