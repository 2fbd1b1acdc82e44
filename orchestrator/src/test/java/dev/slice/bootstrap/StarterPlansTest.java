package dev.slice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.BackendKind;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** Pure logic: which sizes first start offers per backend (the panel's machine test orders the smallest for real). */
class StarterPlansTest {

    @Test
    void everyBackendGetsAnSmAndLPlanGrowingInSize() {
        for (BackendKind kind : BackendKind.values()) {
            var sizes = StarterPlans.of(kind);
            assertThat(sizes).extracting(StarterPlans.Size::name).containsExactly("s", "m", "l");
            assertThat(sizes).isSortedAccordingTo(Comparator.comparingLong(StarterPlans.Size::memoryMiB));
            assertThat(sizes).isSortedAccordingTo(Comparator.comparingLong(StarterPlans.Size::diskMiB));
        }
    }

    @Test
    void machinesStartSmallerThanContainers() {
        for (BackendKind kind : new BackendKind[] {BackendKind.QEMU, BackendKind.XEN, BackendKind.UML}) {
            StarterPlans.Size smallest = StarterPlans.of(kind).getFirst();
            assertThat(smallest.vcpus()).isEqualTo(1);
            // Guest RAM is held for the guest's whole life; an emulated (TCG) boot is slow with more vCPUs.
            assertThat(smallest.memoryMiB()).isLessThan(StarterPlans.of(BackendKind.OCI).getFirst().memoryMiB());
            // The size deploy/uml/build.sh packs a UML base image for ahead of time.
            assertThat(smallest.diskMiB()).isEqualTo(2048);
        }
    }

    @Test
    void emulatorPlansFitTheDebianTemplateAndOfferTwoHarts() {
        var sizes = StarterPlans.of(BackendKind.EMULATOR);
        assertThat(sizes.getFirst().vcpus()).isEqualTo(1);
        assertThat(sizes.getFirst().memoryMiB()).isEqualTo(256);
        // The debian-13 riscv64 image is 2 GiB (deploy/emulator/debian/build.sh); the panel's emulator test orders m.
        assertThat(sizes).allSatisfy(size -> assertThat(size.diskMiB()).isGreaterThanOrEqualTo(2048));
        assertThat(sizes.get(1).vcpus()).isEqualTo(2);
    }

    @Test
    void everyStarterPlanCarriesABandwidth() {
        for (BackendKind kind : BackendKind.values()) {
            assertThat(StarterPlans.of(kind)).allSatisfy(size -> assertThat(size.bandwidthMbit()).isPositive());
        }
    }
}
