package dev.slice.report.reading;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.report.Depth;
import dev.slice.report.HostFacts;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;
import dev.slice.report.ReportStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two runs side by side: ratios of both, a change only beyond both intervals, the host facts that differ. */
class ReportComparisonTest {

    @Test
    void ratiosSideBySideWithChangesBeyondTheIntervals() {
        HostFacts a = new HostFacts("CPU A", 2, 24_000, "6.1.0", "cgroup v1", false, "off", "performance", Map.of("oci", "runc 1.1.5"));
        HostFacts b = new HostFacts("CPU A", 2, 24_000, "6.1.1", "cgroup v1", false, "off", "performance", Map.of("oci", "runc 1.1.5"));
        ReportResults first = results(run(1, List.of("oci")), a, List.of(
                new ReportResults.Overhead("oci", "cpu_int", 0.99, 0.97, 1.01, false),
                new ReportResults.Overhead("oci", "mem_copy", 0.90, 0.88, 0.92, false)));
        ReportResults second = results(run(2, List.of("oci", "qemu")), b, List.of(
                new ReportResults.Overhead("oci", "cpu_int", 0.98, 0.96, 1.00, true),
                new ReportResults.Overhead("oci", "mem_copy", 0.70, 0.68, 0.72, false),
                new ReportResults.Overhead("qemu", "cpu_int", 0.05, 0.04, 0.06, false)));

        ReportComparison comparison = ReportComparison.of(first, second);
        assertThat(comparison.ratios()).extracting(r -> r.backend() + "/" + r.metric() + " changed=" + r.changed())
                .containsExactly("oci/cpu_int changed=false", "oci/mem_copy changed=true", "qemu/cpu_int changed=false");
        var qemu = comparison.ratios().get(2);
        assertThat(qemu.first()).isNull();
        assertThat(qemu.change()).isNull();
        assertThat(comparison.ratios().get(1).change()).isCloseTo(0.70 / 0.90, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(comparison.backends()).extracting(ReportComparison.BackendRow::secondLabel)
                .containsExactly("OCI container", "QEMU, TCG emulation (no KVM)");
        assertThat(comparison.hostDifferences()).extracting(ReportComparison.FactDifference::fact).containsExactly("kernel");
    }

    private static ReportRun run(long id, List<String> backends) {
        return new ReportRun(id, 1, 10 + id, backends, 1, 256, 1024, Depth.QUICK, true, 2048, ReportStatus.SUCCEEDED, null, 3, null,
                Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    }

    private static ReportResults results(ReportRun run, HostFacts host, List<ReportResults.Overhead> overheads) {
        return new ReportResults(run, host, List.of(), overheads, List.of(), List.of(), List.of(), List.of());
    }
}
