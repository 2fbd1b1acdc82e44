package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import dev.slice.driver.ProbeResult;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** How a host's configuration turns into libvirt drivers, found the way the orchestrator finds them. */
class LibvirtDriverProviderTest {

    private static List<Driver> open(Map<String, String> settings) {
        DriverProvider provider = ServiceLoader.load(DriverProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(LibvirtDriverProvider.class::isInstance)
                .findFirst().orElseThrow();
        return provider.open(new HostContext(TestHost.dataDir(), settings, TestHost.PROCESSES));
    }

    @Test
    void withoutSettingsTheLocalQemuIsOpened() {
        List<Driver> drivers = open(Map.of());
        assertThat(drivers).extracting(Driver::kind).containsExactly(BackendKind.QEMU);
        assertThat(drivers).extracting(Driver::name).containsExactly("qemu:///system");
    }

    @Test
    void oneDriverPerConfiguredUri() {
        List<Driver> drivers = open(Map.of("qemu.uri", "qemu:///system, qemu+ssh://node2.example/system",
                "xen.uri", "xen:///system"));
        assertThat(drivers).extracting(Driver::name)
                .containsExactly("qemu:///system", "qemu+ssh://node2.example/system", "xen:///system");
        assertThat(drivers).extracting(Driver::kind).containsExactly(BackendKind.QEMU, BackendKind.QEMU, BackendKind.XEN);
    }

    @Test
    void aUriOfTheWrongHypervisorIsAConfigurationError() {
        assertThatThrownBy(() -> open(Map.of("qemu.uri", "xen:///system")))
                .hasMessageContaining("qemu.uri");
        assertThatThrownBy(() -> open(Map.of("qemu.uri", "lxc:///")))
                .hasMessageContaining("neither qemu:// (KVM/QEMU) nor xen://");
    }

    @Test
    void xenThatCannotConnectSaysSoAndThatXenIsUntested() {
        Driver xen = open(Map.of("xen.uri", "xen:///system")).stream()
                .filter(d -> d.kind() == BackendKind.XEN).findFirst().orElseThrow();
        ProbeResult probe = xen.probe();
        assertThat(probe.available()).isFalse();
        assertThat(probe.detail()).contains("xen:///system", "untested on a real Xen host");
    }
}
