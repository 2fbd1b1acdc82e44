package dev.slice.driver.libvirt;

import dev.slice.driver.BackendKind;

/**
 * What differs between the two kinds of guest this driver runs: full virtualization under QEMU
 * (KVM or TCG) and Xen paravirtualization. Both boot the template's kernel directly.
 */
enum Hypervisor {
    QEMU(BackendKind.QEMU, "hvm", "virtio", "vd", "ttyS0"),
    XEN(BackendKind.XEN, "linux", "xen", "xvd", "hvc0");

    private final BackendKind kind;
    private final String osType;
    private final String diskBus;
    private final String diskPrefix;
    private final String kernelConsole;

    Hypervisor(BackendKind kind, String osType, String diskBus, String diskPrefix, String kernelConsole) {
        this.kind = kind;
        this.osType = osType;
        this.diskBus = diskBus;
        this.diskPrefix = diskPrefix;
        this.kernelConsole = kernelConsole;
    }

    BackendKind kind() { return kind; }

    /** {@code <os><type>}: hvm for a full machine, linux for a Xen PV domain. */
    String osType() { return osType; }

    String diskBus() { return diskBus; }

    /** Guest device name of the n-th disk (0 = root disk, 1 = seed disk). */
    String diskTarget(int index) { return diskPrefix + (char) ('a' + index); }

    String kernelConsole() { return kernelConsole; }

    /** The hypervisor a libvirt URI talks to, e.g. {@code qemu+ssh://host/system} -> QEMU. */
    static Hypervisor ofUri(String uri) {
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : "";
        String driver = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        return switch (driver) {
            case "qemu" -> QEMU;
            case "xen", "libxl" -> XEN;
            default -> throw new IllegalArgumentException("libvirt URI '" + uri
                    + "' is neither qemu:// (KVM/QEMU) nor xen:// (Xen); Slice's libvirt driver supports only those");
        };
    }
}
