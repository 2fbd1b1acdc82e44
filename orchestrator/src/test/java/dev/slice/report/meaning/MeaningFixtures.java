package dev.slice.report.meaning;

import dev.slice.node.Node;
import dev.slice.report.Depth;
import dev.slice.report.HostFacts;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Results built by hand: a backend's geometric mean, a few ratios, a density footprint. */
final class MeaningFixtures {
    static final HostFacts TCG_HOST = new HostFacts("Test CPU", 2, 24_000, "6.1.0", "cgroup v1", false, "off", "performance",
            Map.of("oci", "oci:runc 1.1.5", "qemu", "qemu:///system 7.2 (TCG: no KVM)", "uml", "uml 6.1"));
    static final HostFacts KVM_HOST = new HostFacts("Test CPU", 2, 24_000, "6.1.0", "cgroup v1", true, "off", "performance",
            Map.of("oci", "oci:runc 1.1.5", "qemu", "qemu:///system 7.2 (KVM)", "uml", "uml 6.1"));
    static final Node NODE = new Node(1, "local", 2, 24_000, 100_000, 4.0, 1.5, 2.0, null, true);

    private MeaningFixtures() {}

    static ReportRun run(long id, List<String> backends) {
        return new ReportRun(id, 1, 10 + id, backends, 1, 256, 1024, Depth.QUICK, true, 2048, ReportStatus.SUCCEEDED, null, 3, null,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH.plusSeconds(60));
    }

    /** Builds results: {@code summaries} backend -> geometric mean, each with one cpu_int ratio equal to it. */
    static ReportResults results(ReportRun run, HostFacts host, Map<String, Double> means, Map<String, Double> hostMiBPerGuest) {
        List<ReportResults.Overhead> overheads = new ArrayList<>();
        List<ReportResults.BackendSummary> summaries = new ArrayList<>();
        List<ReportResults.DensitySummary> density = new ArrayList<>();
        for (String backend : run.backends()) {
            Double mean = means.get(backend);
            if (mean != null) {
                overheads.add(new ReportResults.Overhead(backend, "cpu_int", mean, mean * 0.97, mean * 1.03, false));
                summaries.add(new ReportResults.BackendSummary(backend, mean, 1, host.emulated(backend), 100.0));
            }
            Double perGuest = hostMiBPerGuest.get(backend);
            if (perGuest != null) {
                density.add(new ReportResults.DensitySummary(backend, 3, "safety_cap", perGuest, perGuest, 1.0, 100.0, 98.0, 0, 1.5));
            }
        }
        return new ReportResults(run, host, List.of(), overheads, summaries, density, List.of(), List.of());
    }
}
