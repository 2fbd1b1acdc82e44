package dev.slice.driver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.BackendKind;
import dev.slice.driver.HostContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Pure logic: what operators read for a backend no driver was opened for. */
class DriverRegistryTest {
    private final DriverRegistry none = new DriverRegistry(DriverSource.of(), HostContext.of(Path.of("/nonexistent")));

    @Test
    void xenIsMissingForWantOfItsSetting() {
        BackendStatus xen = none.status(BackendKind.XEN);
        assertThat(xen.available()).isFalse();
        assertThat(xen.detail()).contains("slice.drivers.xen.uri");
    }

    @Test
    void everyOtherBackendNamesItsOwnModuleAndNeverXen() {
        for (BackendKind kind : new BackendKind[] {BackendKind.OCI, BackendKind.QEMU, BackendKind.UML, BackendKind.EMULATOR}) {
            BackendStatus status = none.status(kind);
            assertThat(status.available()).isFalse();
            assertThat(status.detail()).as(kind.id()).doesNotContain("Xen").doesNotContain("xen")
                    .contains(kind == BackendKind.QEMU ? "driver-libvirt" : "driver-" + kind.id());
        }
    }
}
