package dev.slice.bootstrap;

import dev.slice.driver.BackendKind;
import java.util.List;

/**
 * The plans first start offers for a backend. Containers share the host kernel and cost little beyond what
 * they use; a virtual machine or a UML guest holds its RAM for good and, under QEMU emulation (no KVM), boots
 * slowly, so their plans are smaller: the smallest has 256 MiB, one vCPU and a 2 GiB disk (the size
 * deploy/uml/build.sh packs a UML base image for ahead of time). Every plan carries a bandwidth; the drivers
 * shape it on the guest's host-side interface. The RISC-V emulator runs one hart (a host thread) per vCPU, and
 * each guest is a JVM of its own that costs its RAM plus the JVM (drivers/emulator/README.md); its plans start at
 * the 2 GiB disk that the Debian 13 riscv64 template's image needs (deploy/emulator/debian/build.sh) and 256 MiB.
 */
final class StarterPlans {

    record Size(String name, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit, long monthlyPriceCents) {}

    private static final List<Size> GENERAL = List.of(
            new Size("s", 1, 512, 5 * 1024, 100, 300),
            new Size("m", 2, 1024, 10 * 1024, 200, 600),
            new Size("l", 4, 2048, 20 * 1024, 500, 1200));

    private static final List<Size> MACHINES = List.of(
            new Size("s", 1, 256, 2 * 1024, 100, 400),
            new Size("m", 1, 512, 10 * 1024, 200, 800),
            new Size("l", 2, 1024, 20 * 1024, 500, 1600));

    private static final List<Size> EMULATED_RISCV = List.of(
            new Size("s", 1, 256, 2 * 1024, 50, 200),
            new Size("m", 2, 512, 4 * 1024, 100, 400),
            new Size("l", 2, 1024, 8 * 1024, 200, 800));

    private StarterPlans() {}

    static List<Size> of(BackendKind kind) {
        return switch (kind) {
            case QEMU, XEN, UML -> MACHINES;
            case OCI -> GENERAL;
            case EMULATOR -> EMULATED_RISCV;
        };
    }
}
