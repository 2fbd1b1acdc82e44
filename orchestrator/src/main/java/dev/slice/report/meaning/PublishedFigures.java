package dev.slice.report.meaning;

import static dev.slice.report.meaning.Approach.FULL_VIRTUALIZATION;
import static dev.slice.report.meaning.Approach.OS_LEVEL;
import static dev.slice.report.meaning.Approach.PARAVIRTUALIZATION;
import static dev.slice.report.meaning.PublishedFigure.Kind.BOOT_MS;
import static dev.slice.report.meaning.PublishedFigure.Kind.MEMORY_PER_GUEST_MB;
import static dev.slice.report.meaning.PublishedFigure.Kind.RATIO;

import java.util.List;

/**
 * The published reference figures a report sets beside its own, in one place with their sources (gathered in
 * the reports issue's notes). Ratios are converted to the report's reading: 1.00 = bare metal, below = slower,
 * so "+80 % latency" is 1 / 1.8 = 0.56. Figures marked unchecked were quoted from memory in the notes and
 * need the original before anyone relies on them; the report says so beside them.
 */
public final class PublishedFigures {
    static final String FELTER = "Felter et al. 2014";
    static final String FELTER_DOC = "W. Felter, A. Ferreira, R. Rajamony, J. Rubio: An Updated Performance Comparison of Virtual "
            + "Machines and Linux Containers, IBM Research Report RC25482 (2014)";
    static final String BARHAM = "Barham et al. 2003";
    static final String BARHAM_DOC = "P. Barham et al.: Xen and the Art of Virtualization, SOSP 2003";
    static final String FIRECRACKER = "Agache et al. 2020";
    static final String FIRECRACKER_DOC = "A. Agache et al.: Firecracker: Lightweight Virtualization for Serverless Applications, "
            + "NSDI 2020";

    public static final List<PublishedFigure> ALL = List.of(
            // Felter et al.: Docker against KVM on one IBM x3650 M4 host.
            new PublishedFigure(FELTER, FELTER_DOC, OS_LEVEL, "Docker", RATIO, "cpu_int", "Linpack (floating point)", 1.00, true),
            new PublishedFigure(FELTER, FELTER_DOC, FULL_VIRTUALIZATION, "KVM, untuned", RATIO, "cpu_int", "Linpack (floating point)", 0.83, true),
            new PublishedFigure(FELTER, FELTER_DOC, FULL_VIRTUALIZATION, "KVM, tuned", RATIO, "cpu_int", "Linpack (floating point)", 0.98, true),
            new PublishedFigure(FELTER, FELTER_DOC, FULL_VIRTUALIZATION, "KVM", RATIO, "mem_copy", "STREAM (1-3 % slower)", 0.98, true),
            new PublishedFigure(FELTER, FELTER_DOC, OS_LEVEL, "Docker with NAT", RATIO, "tcp_rr", "netperf TCP_RR (latency doubled)", 0.50, true),
            new PublishedFigure(FELTER, FELTER_DOC, FULL_VIRTUALIZATION, "KVM", RATIO, "tcp_rr", "netperf TCP_RR (+30 us, +80 %)", 1 / 1.8, true),
            new PublishedFigure(FELTER, FELTER_DOC, OS_LEVEL, "Docker", RATIO, "disk_rand_read", "fio random IOPS", 1.00, true),
            new PublishedFigure(FELTER, FELTER_DOC, FULL_VIRTUALIZATION, "KVM", RATIO, "disk_rand_read", "fio random IOPS (half)", 0.50, true),
            // Barham et al.: Xen against native Linux, VMware Workstation and UML; lmbench figures from memory (unchecked).
            new PublishedFigure(BARHAM, BARHAM_DOC, PARAVIRTUALIZATION, "Xen", RATIO, null, "Linux kernel build (3 % slower)", 0.97, true),
            new PublishedFigure(BARHAM, BARHAM_DOC, PARAVIRTUALIZATION, "Xen", RATIO, "syscall_null", "lmbench null call 0.46 us vs 0.45",
                    0.45 / 0.46, false),
            new PublishedFigure(BARHAM, BARHAM_DOC, PARAVIRTUALIZATION, "UML", RATIO, "syscall_null", "lmbench null call 24.7 us vs 0.45",
                    0.45 / 24.7, false),
            new PublishedFigure(BARHAM, BARHAM_DOC, PARAVIRTUALIZATION, "Xen", RATIO, "fork_exec", "lmbench fork 198 us vs 110",
                    110.0 / 198, false),
            new PublishedFigure(BARHAM, BARHAM_DOC, PARAVIRTUALIZATION, "UML", RATIO, "fork_exec", "lmbench fork ~21,000 us vs 110",
                    110.0 / 21_000, false),
            // Firecracker: microVMs under KVM.
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "Firecracker microVM", RATIO, "cpu_int",
                    "compute (above 95 %)", 0.95, true),
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "Firecracker VMM", MEMORY_PER_GUEST_MB, null,
                    "VMM memory overhead", 3, true),
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "Cloud Hypervisor", MEMORY_PER_GUEST_MB, null,
                    "VMM memory overhead", 13, true),
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "QEMU", MEMORY_PER_GUEST_MB, null,
                    "VMM memory overhead", 131, true),
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "Firecracker microVM", BOOT_MS, null,
                    "boot to guest init (under)", 125, true),
            new PublishedFigure(FIRECRACKER, FIRECRACKER_DOC, FULL_VIRTUALIZATION, "Firecracker, 1000 microVMs 50 at a time", BOOT_MS,
                    null, "boot p99", 146, true));

    private PublishedFigures() {}

    /** The published figures that may stand beside a backend of this approach: the same approach only. */
    public static List<PublishedFigure> forApproach(Approach approach) {
        return ALL.stream().filter(f -> f.approach() == approach).toList();
    }

    /** Published ratios for one metric and approach (none for emulation: nothing published is compared with TCG). */
    public static List<PublishedFigure> ratios(Approach approach, String metric) {
        return ALL.stream().filter(f -> f.approach() == approach && f.kind() == RATIO && metric.equals(f.metric())).toList();
    }
}
