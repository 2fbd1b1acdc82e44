package dev.slice.driver.libvirt;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** This host as the tests use it: the real libvirtd on qemu:///system and Slice's data directory. */
final class TestHost {
    static final String QEMU_URI = "qemu:///system";
    static final ProcessRunner PROCESSES = new ProcessRunner();

    private TestHost() {}

    static Path dataDir() {
        String configured = System.getenv("SLICE_DATA");
        return Path.of(configured == null || configured.isBlank() ? "/var/lib/slice" : configured);
    }

    static LibvirtDriver qemuDriver() {
        return new LibvirtDriver(QEMU_URI, dataDir(), PROCESSES, Clock.systemUTC());
    }

    /** A small Debian 12 guest: 1 vCPU, 256 MiB (TCG on this machine), 1 GiB disk, on slicebr0. */
    static GuestSpec debianSpec(GuestId id, int hostNumber, Credentials credentials) {
        String mac = String.format("52:54:00:5c:%02x:%02x", (hostNumber >> 8) & 0xff, hostNumber & 0xff);
        NetworkConfig network = new NetworkConfig("10.77.0." + hostNumber + "/24", "10.77.0.1", mac, "slicebr0",
                List.of("10.77.0.1"));
        return new GuestSpec(id, id.value() + ".example.test", Resources.of(1, 256, 1024), "debian-12", network,
                credentials);
    }

    /** A guest of the operators' benchmark template (qemu-guest-agent and the tools): 512 MiB, 2 GiB disk. */
    static GuestSpec benchSpec(GuestId id, int hostNumber) {
        GuestSpec lean = debianSpec(id, hostNumber, Credentials.none());
        return new GuestSpec(id, lean.hostname(), Resources.of(1, 512, 2048), "debian-12-bench", lean.network(),
                lean.credentials());
    }
}
