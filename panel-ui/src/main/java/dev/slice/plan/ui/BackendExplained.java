package dev.slice.plan.ui;

import dev.slice.driver.BackendKind;

/** What each kind of server is, in one plain sentence for someone choosing a plan (the storefront's words, not the driver's). */
final class BackendExplained {
    private BackendExplained() {}

    static String title(BackendKind kind) {
        return switch (kind) {
            case OCI -> "Container";
            case QEMU -> "Virtual machine";
            case XEN -> "Paravirtualised (Xen)";
            case UML -> "Paravirtualised (User-Mode Linux)";
            case EMULATOR -> "Emulated RISC-V";
        };
    }

    /** A switch without default: a new backend kind does not compile until it is explained here. */
    static String sentence(BackendKind kind) {
        return switch (kind) {
            case OCI -> "A container: your own Linux system sharing the host's kernel, the fastest to start and the lightest.";
            case QEMU -> "A full virtual machine with its own kernel and virtual hardware, isolated like a separate computer.";
            case XEN -> "A paravirtualised Xen guest: its own kernel that cooperates with the hypervisor, close to native speed.";
            case UML -> "A paravirtualised guest: its own Linux kernel running as ordinary processes on the host.";
            case EMULATOR -> "An emulated RISC-V computer: a different processor architecture, for trying and building software for RISC-V; much slower than the others.";
        };
    }
}
