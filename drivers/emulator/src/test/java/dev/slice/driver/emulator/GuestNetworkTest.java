package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestNetworkTest {
    private static GuestSpec spec(NetworkConfig network) {
        return new GuestSpec(GuestId.of("net-1"), "net.test", new Resources(1, 128, 256, 0, 25), "debian-12", network,
                Credentials.none());
    }

    private final NetworkConfig config = new NetworkConfig("10.77.0.12/20", "10.77.0.1", "52:54:00:12:34:56", "slicebr0",
            List.of("10.77.0.1", "9.9.9.9", "1.1.1.1"));

    @Test
    void theKernelConfiguresEth0FromTheSpecsAddressGatewayAndFirstTwoDnsServers() {
        GuestNetwork n = GuestNetwork.of(spec(config)).orElseThrow();
        assertThat(n.kernelArgument()).isEqualTo("ip=10.77.0.12::10.77.0.1:255.255.240.0::eth0:off:10.77.0.1:9.9.9.9");
        assertThat(n.emulatorArguments()).containsExactly("--net", "tap:" + n.tap(), "--mac", "52:54:00:12:34:56");
        assertThat(n.tap()).startsWith("emu-").hasSize(15).isEqualTo(GuestNetwork.tapFor(GuestId.of("net-1")));
        assertThat(n.bandwidthMbit()).isEqualTo(25);
    }

    @Test
    void netmasksForEveryPrefixEdge() {
        assertThat(GuestNetwork.netmask(0)).isEqualTo("0.0.0.0");
        assertThat(GuestNetwork.netmask(24)).isEqualTo("255.255.255.0");
        assertThat(GuestNetwork.netmask(32)).isEqualTo("255.255.255.255");
    }

    @Test
    void aSpecWithoutNetworkHasNoCardAndARecordSurvivesAReadBack(@TempDir Path dir) {
        assertThat(GuestNetwork.of(spec(null))).isEmpty();
        GuestNetwork n = GuestNetwork.of(spec(config)).orElseThrow();
        Path file = dir.resolve("network.properties");
        n.write(file);
        assertThat(GuestNetwork.read(file)).contains(n);
        assertThat(GuestNetwork.read(dir.resolve("none"))).isEmpty();
        assertThat(Files.exists(file)).isTrue();
    }
}
