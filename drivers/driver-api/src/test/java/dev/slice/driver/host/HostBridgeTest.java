package dev.slice.driver.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against the real kernel: needs root, as every driver that plugs guests into a bridge does. */
class HostBridgeTest {
    private static final String NAME = "slicehbtest0";
    private final ProcessRunner processes = new ProcessRunner();

    @AfterEach
    void removeBridge() {
        processes.run(HostCommand.of("ip", "link", "del", NAME));
    }

    @Test
    void ensureCreatesTheBridgeUpAndIsRepeatable() {
        new HostBridge(processes).ensure(NAME);
        assertThat(HostBridge.exists(NAME)).isTrue();
        assertThat(HostBridge.isUp(NAME)).isTrue();
        new HostBridge(processes).ensure(NAME);
        assertThat(HostBridge.isUp(NAME)).isTrue();
    }

    @Test
    void ensureAddressAddsTheGatewayOnce() {
        HostBridge bridge = new HostBridge(processes);
        bridge.ensure(NAME);
        bridge.ensureAddress(NAME, "10.79.250.1/24");
        bridge.ensureAddress(NAME, "10.79.250.1/24");
        String shown = processes.runChecked(HostCommand.of("ip", "-o", "-4", "addr", "show", "dev", NAME)).stdout();
        assertThat(shown).containsOnlyOnce("10.79.250.1/24");
    }

    @Test
    void anAbsentBridgeIsNeitherThereNorUp() {
        assertThat(HostBridge.exists(NAME)).isFalse();
        assertThat(HostBridge.isUp(NAME)).isFalse();
    }
}
