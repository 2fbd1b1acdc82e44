package dev.slice.driver.emulator;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.HostContext;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/** Real emulator guests for the tests: the host's Slice data directory and the busybox guest of deploy/emulator/build.sh. */
final class TestGuests {
    static final Pattern SHELL_PROMPT = Pattern.compile("slice# ");

    private TestGuests() {}

    static HostContext host() {
        return HostContext.of(Path.of(System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice")));
    }

    static EmulatorDriver driver() { return new EmulatorDriver(host(), Clock.systemUTC()); }

    static GuestSpec spec(GuestId id, long memoryMiB) {
        NetworkConfig network = new NetworkConfig("10.98.0.10/24", "10.98.0.1", "52:54:00:98:00:10", "emutest0", List.of());
        return new GuestSpec(id, id.value() + ".emu.test", new Resources(1, memoryMiB, 256, 0, 0), "debian-12",
                network, Credentials.none());
    }

    static GuestId id(String prefix) {
        return GuestId.of(prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));
    }
}
