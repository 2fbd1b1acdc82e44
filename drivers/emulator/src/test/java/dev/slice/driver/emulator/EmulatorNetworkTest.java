package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.capability.GuestStats;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.host.TapDevice;
import dev.slice.driver.host.TrafficShaper;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An emulator guest on a bridge and subnet of this test's own (emutest0, 10.98.0.0/24, the host at .1): its
 * virtio-net card on the TAP the driver made, with the spec's MAC and address; guest and host ping each other,
 * the driver's counters move, the plan's bandwidth is on the TAP, and destroy removes TAP and shaping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmulatorNetworkTest {
    private static final String BRIDGE = "emutest0", GATEWAY = "10.98.0.1", ADDRESS = "10.98.0.20";
    private static final String MAC = "52:54:00:98:00:20";
    private static final int MBIT = 20;
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final AtomicInteger COMMANDS = new AtomicInteger(2000);

    private final ProcessRunner processes = new ProcessRunner();
    private final EmulatorDriver driver = TestGuests.driver();
    private final GuestId id = TestGuests.id("emunet");
    private final GuestSpec spec = new GuestSpec(id, "net.emu.test", new Resources(1, 128, 256, 0, MBIT), "debian-12",
            new NetworkConfig(ADDRESS + "/24", GATEWAY, MAC, BRIDGE, List.of(GATEWAY)), Credentials.none());

    @BeforeAll
    void hostEndOfTheSubnet() throws Exception {
        String config = Files.readString(Path.of(System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice"),
                "emulator/kernel/config"));
        assertThat(config).as("the guest kernel has virtio-net: run deploy/emulator/build.sh").contains("CONFIG_VIRTIO_NET=y");
        HostBridge bridge = new HostBridge(processes);
        bridge.ensure(BRIDGE);
        bridge.ensureAddress(BRIDGE, GATEWAY + "/24");
    }

    @AfterAll
    void destroy() {
        driver.destroy(id);
    }

    @Test
    void theGuestAndTheHostReachEachOtherThroughTheShapedTapAndDestroyRemovesIt() throws Exception {
        driver.create(spec);
        driver.start(id);
        String tap = GuestNetwork.tapFor(id);
        assertThat(TapDevice.exists(tap)).isTrue();
        assertThat(Path.of("/sys/class/net", tap, "master").toRealPath().getFileName().toString()).isEqualTo(BRIDGE);
        assertThat(TapDevice.owner(tap)).as("owned by the user the emulator runs as")
                .isEqualTo(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
        assertThat(processes.runChecked(HostCommand.of("tc", "qdisc", "show", "dev", tap)).stdout())
                .contains("tbf").contains("rate " + MBIT + "Mbit");
        assertThat(processes.runChecked(HostCommand.of("tc", "qdisc", "show", "dev", TrafficShaper.ifbFor(tap))).stdout())
                .contains("tbf").contains("rate " + MBIT + "Mbit");

        try (ConsoleReader console = shell()) {
            assertThat(run(console, "cat /sys/class/net/eth0/address")).contains(MAC);
            assertThat(run(console, "ip -4 addr show dev eth0")).contains("inet " + ADDRESS + "/24");
            assertThat(run(console, "ping -c 3 -W 5 " + GATEWAY)).contains("3 packets received");
        }
        ProcessResult ping = processes.run(HostCommand.of("ping", "-c", "3", "-W", "5", ADDRESS).withTimeout(Duration.ofSeconds(30)));
        assertThat(ping.succeeded()).as("the host pings the guest: " + ping.stdout() + ping.stderr()).isTrue();
        assertThat(ping.stdout()).contains("3 received");

        GuestStats stats = driver.read(id);
        assertThat(stats.netRxPackets()).as("echo requests and replies the guest received").isGreaterThanOrEqualTo(6);
        assertThat(stats.netTxPackets()).as("echo requests and replies the guest sent").isGreaterThanOrEqualTo(6);
        assertThat(stats.netRxBytes()).isGreaterThanOrEqualTo(6 * 98L);
        assertThat(stats.netTxBytes()).isGreaterThanOrEqualTo(6 * 98L);

        driver.destroy(id);
        assertThat(TapDevice.exists(tap)).isFalse();
        assertThat(Files.exists(Path.of("/sys/class/net", TrafficShaper.ifbFor(tap)))).isFalse();
    }

    private ConsoleReader shell() {
        ConsoleReader console = new ConsoleReader(driver.open(id));
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (true) {
            console.type("\n");
            try {
                console.await(TestGuests.SHELL_PROMPT, Duration.ofSeconds(3));
                return console;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) throw notYet;
            }
        }
    }

    private static String run(ConsoleReader console, String command) {
        int n = COMMANDS.incrementAndGet();
        console.type(command + "; echo END-$((" + n + "+0))\n");
        String out = console.await(Pattern.compile("(?s).*?END-" + n), Duration.ofSeconds(60));
        console.await(TestGuests.SHELL_PROMPT, Duration.ofSeconds(10));
        return out;
    }
}
