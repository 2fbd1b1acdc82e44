package dev.slice.driver.oci;

import dev.slice.driver.GuestId;
import java.nio.file.Path;

/**
 * Where the driver keeps things. Persistent guest data lives under {@code <dataDir>/oci/guests/<id>};
 * what only exists while a container runs (the runtime's state, the console keeper's sockets) lives
 * under the run directory, {@code /run/slice/oci} by default, which a host reboot clears.
 */
record OciPaths(Path dataDir, Path runDir) {

    Path guestsDir() { return dataDir.resolve("oci").resolve("guests"); }

    Path guestDir(GuestId id) { return guestsDir().resolve(id.value()); }

    /** A guest being created is built here and renamed into place when complete. */
    Path partialGuestDir(GuestId id) { return guestsDir().resolve("." + id.value() + ".partial"); }

    /** The runtime's own state root ({@code --root}); a dot name, so it cannot clash with a guest id. */
    Path runtimeRoot() { return runDir.resolve(".runtime"); }

    Path consoleDir(GuestId id) { return runDir.resolve(id.value()); }

    Path consoleKeeper() { return dataDir.resolve("bin").resolve("slice-oci-console"); }

    /** PID 1 of every container, bound read-only into it. */
    Path containerInit() { return dataDir.resolve("bin").resolve("slice-oci-init"); }

    /** The one guest-side first-boot script (deploy/guest/slice-firstboot), bound read-only into every container. */
    Path firstBootScript() { return dataDir.resolve("bin").resolve("slice-firstboot"); }

    Path templateRootfs(String template) { return dataDir.resolve("templates").resolve(template).resolve("rootfs"); }

    GuestLayout guest(GuestId id) { return new GuestLayout(guestDir(id)); }
}
