package dev.slice.driver.uml;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.HostContext;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Real guests for the tests: the host's Slice data directory and the debian-12 template built by deploy/uml/build.sh. */
final class TestGuests {
    /** crypt(3) SHA-512 of {@link #ROOT_PASSWORD} (openssl passwd -6 -salt slicetest). */
    static final String ROOT_PASSWORD = "uml-test-password";
    static final String ROOT_PASSWORD_HASH =
            "$6$slicetest$O8SUzC.6BxOgoZkYSBjTAPL6USwDzv65gt69IvY4voZ3NN0MIOsBBJGuTnZLdiU1pI2U/jG7AUnxHVgbcvqRY1";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBPkqvlmU6a+JZC1wIuUUjuFuaG6Ca1f1lKhLu1uRuL7 tests@slice";
    /** A bridge of the tests' own: guests' traffic stays off the node's real guest network. */
    static final String BRIDGE = "umltest0";
    /** The disk size deploy/uml/build.sh packs ahead, so tests do not wait for a new base image. */
    static final long DISK_MIB = 2048;
    static final Pattern LOGIN_PROMPT = Pattern.compile("login: ");

    private TestGuests() {}

    static HostContext host() {
        String dataDir = System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice");
        return HostContext.of(Path.of(dataDir));
    }

    static UmlDriver driver() {
        return new UmlDriver(host(), Clock.systemUTC());
    }

    /** A driver with extra {@code uml.*} settings, e.g. another process mode. */
    static UmlDriver driver(Map<String, String> settings) {
        HostContext host = host();
        return new UmlDriver(new HostContext(host.dataDir(), settings, host.processes()), Clock.systemUTC());
    }

    static GuestSpec spec(GuestId id, int vcpus, long memoryMiB, int addressOctet) {
        NetworkConfig network = new NetworkConfig("10.99.0." + addressOctet + "/24", "10.99.0.1",
                mac(id), BRIDGE, List.of("10.99.0.1"));
        return new GuestSpec(id, id.value() + ".uml.test", new Resources(vcpus, memoryMiB, DISK_MIB, 0, 0),
                "debian-12", network, new Credentials(ROOT_PASSWORD_HASH, List.of(SSH_KEY)));
    }

    static GuestId id(String prefix) {
        return GuestId.of(prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    }

    private static String mac(GuestId id) {
        int h = id.value().hashCode();
        return String.format("52:54:00:%02x:%02x:%02x", (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
    }
}
