package dev.slice.driver.oci;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.HostContext;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real host the OCI tests run on: Slice's data directory with the debian-12 template, the
 * runtime the host calls for, and a bridge and subnet of the tests' own, so that no test touches
 * the node bridge or a network outside the namespaces the tests and the driver make.
 */
final class OciTestHost {
    static final String BRIDGE = "sliceoci-test";
    static final String GATEWAY = "10.79.1.1";
    static final String GATEWAY_CIDR = GATEWAY + "/24";

    private OciTestHost() {}

    static Path dataDir() {
        String fromEnv = System.getenv("SLICE_DATA");
        return Path.of(fromEnv == null || fromEnv.isBlank() ? "/var/lib/slice" : fromEnv);
    }

    static HostContext context() {
        return new HostContext(dataDir(), Map.of(), new ProcessRunner());
    }

    /** A fresh driver instance each time, as Slice would open after a restart. */
    static OciDriver openDriver() {
        return OciDriverProvider.open(context(), Clock.systemUTC());
    }

    static GuestSpec spec(GuestId id, int hostNumber, Resources resources, Credentials credentials) {
        NetworkConfig network = new NetworkConfig("10.79.1." + hostNumber + "/24", GATEWAY,
                String.format("52:54:00:79:01:%02x", hostNumber), BRIDGE, List.of(GATEWAY));
        return new GuestSpec(id, id.value() + ".test.slice", resources, "debian-12", network, credentials);
    }

    static GuestSpec spec(GuestId id, int hostNumber) {
        return spec(id, hostNumber, new Resources(1, 256, 512, 256, 0), Credentials.none());
    }

    /** Runs a program in the guest and returns its output, failing with its error output unless it exits 0. */
    static String run(OciDriver driver, GuestId id, String... argv) {
        ProcessResult result = driver.exec(id, Duration.ofSeconds(60), argv);
        if (!result.succeeded()) {
            throw new AssertionError(String.join(" ", argv) + " in " + id + " exited " + result.exitCode() + ": "
                    + result.stderr() + result.stdout());
        }
        return result.stdout().strip();
    }

    /** A cgroup file as the guest sees it, e.g. ("memory", "memory.limit_in_bytes") on cgroup v1. */
    static String cgroupFile(OciDriver driver, GuestId id, String v1Controller, String file) {
        String path = CgroupMode.detect().isV2() ? "/sys/fs/cgroup/" + file : "/sys/fs/cgroup/" + v1Controller + "/" + file;
        return run(driver, id, "cat", path);
    }

    static GuestId uniqueId(String prefix) {
        return GuestId.of(prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    }
}
