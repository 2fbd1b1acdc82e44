package dev.slice.driver.host;

import dev.slice.driver.DriverException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The node's guest bridge (e.g. {@code slicebr0}) that every backend plugs its guests into. Drivers
 * call {@link #ensure} before attaching a guest, so a node needs no manual network set-up; the
 * gateway address on the bridge comes from the node's IP pool and is set by whoever owns the pool.
 */
public final class HostBridge {
    private final ProcessRunner processes;

    public HostBridge(ProcessRunner processes) {
        this.processes = processes;
    }

    public static boolean exists(String name) {
        return Files.isDirectory(Path.of("/sys/class/net", name, "bridge"));
    }

    /** Creates the bridge if it is missing and brings it up; safe to call from several drivers at once. */
    public void ensure(String name) {
        if (!exists(name)) {
            ProcessResult result = processes.run(HostCommand.of("ip", "link", "add", "name", name, "type", "bridge"));
            if (!result.succeeded() && !exists(name)) {
                throw new DriverException("could not create bridge " + name + ": " + result.stderr().strip());
            }
        }
        if (!isUp(name)) {
            processes.runChecked(HostCommand.of("ip", "link", "set", name, "up"));
        }
    }

    /** IFF_UP from sysfs: saves a process on every guest start once the bridge is up. */
    static boolean isUp(String name) {
        try {
            String flags = Files.readString(Path.of("/sys/class/net", name, "flags")).strip();
            return (Long.decode(flags) & 0x1) != 0;
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Adds the gateway address (e.g. {@code 10.77.0.1/24}) to the bridge unless it is there already. */
    public void ensureAddress(String name, String cidr) {
        String shown = processes.runChecked(HostCommand.of("ip", "-o", "-4", "addr", "show", "dev", name)).stdout();
        if (!shown.contains(" " + cidr + " ")) {
            processes.runChecked(HostCommand.of("ip", "addr", "add", cidr, "dev", name));
        }
    }
}
