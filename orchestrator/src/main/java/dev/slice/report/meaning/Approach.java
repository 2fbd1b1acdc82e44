package dev.slice.report.meaning;

import dev.slice.driver.BackendKind;
import dev.slice.report.HostFacts;

/**
 * How a backend's guests are isolated, as the classic claims group them: OS-level (containers) within a few
 * percent of bare metal, paravirtualization next, full virtualization slower, emulation slowest. A backend
 * measured under emulation (QEMU without KVM, the RISC-V emulator) is {@link #EMULATION}, never full
 * virtualization: its figures are never set beside KVM's.
 */
public enum Approach {
    OS_LEVEL("OS-level virtualization"),
    PARAVIRTUALIZATION("paravirtualization"),
    FULL_VIRTUALIZATION("full virtualization"),
    EMULATION("emulation");

    private final String words;

    Approach(String words) {
        this.words = words;
    }

    public String words() { return words; }

    /** The approach of a backend as it ran on the host the facts describe (KVM or TCG decides for QEMU). */
    public static Approach of(String backend, HostFacts host) {
        if (host != null && host.emulated(backend)) return EMULATION;
        BackendKind kind;
        try {
            kind = BackendKind.fromId(backend);
        } catch (IllegalArgumentException e) {
            return FULL_VIRTUALIZATION;
        }
        if (kind == BackendKind.EMULATOR) return EMULATION;
        return switch (kind.family()) {
            case OS_LEVEL -> OS_LEVEL;
            case PARAVIRTUAL -> PARAVIRTUALIZATION;
            case FULL -> host == null && kind == BackendKind.QEMU ? EMULATION : FULL_VIRTUALIZATION;
        };
    }

    /**
     * The backend as a report names it: QEMU says whether it ran with KVM or as TCG emulation (never "KVM"
     * without /dev/kvm and a probe that said so).
     */
    public static String label(String backend, HostFacts host) {
        return switch (backend) {
            case "oci" -> "OCI container";
            case "qemu" -> of(backend, host) == EMULATION ? "QEMU, TCG emulation (no KVM)" : "QEMU with KVM";
            case "xen" -> "Xen PV";
            case "uml" -> "User-Mode Linux";
            case "emulator" -> "RISC-V emulator";
            case dev.slice.report.Sample.BARE_METAL -> "bare metal";
            default -> backend;
        };
    }
}
