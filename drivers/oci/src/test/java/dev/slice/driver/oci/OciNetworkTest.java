package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.Resources;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A guest on the bridge: its own namespace with the spec's address, MAC and route, reachable from a
 * neighbour namespace the test puts on the same bridge, and able to reach the gateway on the bridge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OciNetworkTest {
    private final ProcessRunner processes = new ProcessRunner();
    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = OciTestHost.uniqueId("net");
    private final GuestSpec spec = OciTestHost.spec(id, 20, new Resources(1, 256, 512, 0, 50), Credentials.none());
    private final String neighbour = "slicetest-" + id.value();
    private final String neighbourLink = "sltn" + id.value().substring(id.value().length() - 6);

    @BeforeAll
    void startGuestAndNeighbour() {
        driver.create(spec);
        driver.start(id);
        new HostBridge(processes).ensureAddress(OciTestHost.BRIDGE, OciTestHost.GATEWAY_CIDR);
        processes.runChecked(HostCommand.of("ip", "netns", "add", neighbour));
        processes.runChecked(HostCommand.of("ip", "link", "add", neighbourLink, "type", "veth", "peer", "name", "eth0",
                "netns", neighbour));
        processes.runChecked(HostCommand.of("ip", "link", "set", neighbourLink, "master", OciTestHost.BRIDGE, "up"));
        processes.runChecked(HostCommand.of("ip", "-n", neighbour, "addr", "add", "10.79.1.200/24", "dev", "eth0"));
        processes.runChecked(HostCommand.of("ip", "-n", neighbour, "link", "set", "eth0", "up"));
    }

    @AfterAll
    void removeGuestAndNeighbour() {
        driver.destroy(id);
        processes.run(HostCommand.of("ip", "netns", "delete", neighbour));
    }

    @Test
    @Order(1)
    void guestHasTheSpecsAddressMacAndDefaultRoute() {
        assertThat(OciTestHost.run(driver, id, "ip", "-o", "-4", "addr", "show", "dev", "eth0"))
                .contains("inet " + spec.network().address());
        assertThat(OciTestHost.run(driver, id, "cat", "/sys/class/net/eth0/address")).isEqualTo(spec.network().mac());
        assertThat(OciTestHost.run(driver, id, "ip", "route", "show", "default"))
                .contains("default via " + spec.network().gateway() + " dev eth0");
    }

    @Test
    @Order(2)
    void hostEndOfTheVethIsOnTheBridge() throws Exception {
        Path master = Path.of("/sys/class/net", GuestNetwork.hostInterface(id), "master");
        assertThat(Files.readSymbolicLink(master).getFileName().toString()).isEqualTo(OciTestHost.BRIDGE);
        assertThat(Files.exists(GuestNetwork.namespacePath(id))).isTrue();
    }

    @Test
    @Order(3)
    void aNeighbourOnTheBridgeReachesTheGuest() {
        ProcessResult ping = processes.run(HostCommand.of("ip", "netns", "exec", neighbour,
                "ping", "-c", "3", "-i", "0.2", "-W", "2", spec.network().ip()).withTimeout(Duration.ofSeconds(30)));
        assertThat(ping.exitCode()).as("ping from the neighbour: %s", ping.stdout()).isZero();
    }

    @Test
    @Order(4)
    void theGuestReachesItsGateway() {
        ProcessResult ping = driver.exec(id, Duration.ofSeconds(30), "ping", "-c", "3", "-i", "0.2", "-W", "2",
                spec.network().gateway());
        assertThat(ping.exitCode()).as("ping from the guest: %s %s", ping.stdout(), ping.stderr()).isZero();
    }

    @Test
    @Order(5)
    void networkSurvivesAStopAndStart() {
        driver.stop(id, dev.slice.driver.StopMode.force());
        driver.start(id);
        ProcessResult ping = processes.run(HostCommand.of("ip", "netns", "exec", neighbour,
                "ping", "-c", "3", "-i", "0.2", "-W", "2", spec.network().ip()).withTimeout(Duration.ofSeconds(30)));
        assertThat(ping.exitCode()).as("ping after restart: %s", ping.stdout()).isZero();
    }

    @Test
    @Order(6)
    void theGuestsRateIsLimitedByThePlanEachWayAndTheGuestCannotLiftIt() {
        assertThat(tcShow()).contains("tbf").contains("rate 50Mbit");
        assertThat(hostSideTcShow()).as("what the guest receives").contains("tbf").contains("rate 50Mbit");
        driver.resize(id, new Resources(1, 256, 512, 0, 20));
        assertThat(tcShow()).contains("tbf").contains("rate 20Mbit");
        assertThat(hostSideTcShow()).contains("rate 20Mbit");
        ProcessResult lift = driver.exec(id, Duration.ofSeconds(10), "tc", "qdisc", "del", "dev", "eth0", "root");
        assertThat(lift.exitCode()).isNotZero();
        assertThat(tcShow()).contains("rate 20Mbit");
    }

    private String hostSideTcShow() {
        return processes.runChecked(HostCommand.of("tc", "qdisc", "show", "dev", GuestNetwork.hostInterface(id))).stdout();
    }

    private String tcShow() {
        return processes.runChecked(HostCommand.of("tc", "-n", GuestNetwork.namespace(id), "qdisc", "show", "dev", "eth0"))
                .stdout();
    }

    @Test
    @Order(7)
    void destroyRemovesTheNamespaceAndTheVeth() {
        driver.destroy(id);
        assertThat(Files.exists(GuestNetwork.namespacePath(id))).isFalse();
        assertThat(Files.exists(Path.of("/sys/class/net", GuestNetwork.hostInterface(id)))).isFalse();
    }
}
