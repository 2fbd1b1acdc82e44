package dev.slice.report.meaning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.node.Node;
import dev.slice.report.DensityRules;
import dev.slice.report.ReportResults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Guests of a plan that fit on a node: the smallest of memory (measured footprint, reserve), vCPUs and disk after overcommit. */
class PlanFitTest {

    @Test
    void memoryUsesTheMeasuredOverheadBeyondRamAndTheReportsReserve() {
        // 24000 MiB - 2048 reserve = 21952, x 1.5 = 32928; per guest 512 RAM + (380 - 256) measured beyond a 256 MiB guest's RAM
        var footprint = new PlanFit.Footprint("qemu", 7, 256, 380 - 256, 2048);
        Node roomyCpus = new Node(1, "n1", 64, 24_000, 1_000_000, 16.0, 1.5, 4.0, null, true);
        PlanFit.Fit fit = PlanFit.of(roomyCpus, new PlanFit.Size(1, 512, 2048), footprint);
        assertThat(fit.byMemory()).isEqualTo(32928 / (512 + 124));
        assertThat(fit.guests()).isEqualTo(fit.byMemory());
        assertThat(fit.limitedBy()).isEqualTo("memory");
        assertThat(fit.runId()).isEqualTo(7);
    }

    @Test
    void vcpusAndDiskLimitWhenTheyAreScarcer() {
        var footprint = new PlanFit.Footprint("oci", 1, 256, 0, 2048);
        PlanFit.Fit cpu = PlanFit.of(MeaningFixtures.NODE, new PlanFit.Size(2, 256, 1024), footprint);
        assertThat(cpu.byCpu()).as("2 CPUs x 4.0 / 2 vCPUs").isEqualTo(4);
        assertThat(cpu.guests()).isEqualTo(4);
        assertThat(cpu.limitedBy()).isEqualTo("vCPUs");
        PlanFit.Fit disk = PlanFit.of(new Node(2, "n2", 64, 24_000, 10_000, 16.0, 1.5, 1.0, null, true), new PlanFit.Size(1, 256, 4096), footprint);
        assertThat(disk.byDisk()).isEqualTo(2);
        assertThat(disk.limitedBy()).isEqualTo("disk");
    }

    @Test
    void aFootprintBelowItsRamCountsAsNoOverheadAndAgreesWithTheReportsOwnFigure() {
        var run = MeaningFixtures.run(3, List.of("oci"));
        var summary = new ReportResults.DensitySummary("oci", 3, "safety_cap", -16.0, 3.0, 4.6, 500.0, 492.0, 0, 1.5);
        var footprint = PlanFit.Footprint.of(run, summary);
        assertThat(footprint.overheadMiB()).isZero();
        Node bigCpus = new Node(1, "local", 64, 24_000, 1_000_000, 16.0, 1.5, 4.0, null, true);
        long expected = new DensityRules(2048, 64, 10).guestsThatFit(24_000, 1.5, 256, 0);
        assertThat(PlanFit.of(bigCpus, new PlanFit.Size(1, 256, 1024), footprint).guests()).isEqualTo(expected);
    }

    @Test
    void aFootprintAboveItsRamIsTheDifference() {
        var run = MeaningFixtures.run(4, List.of("qemu"));
        var results = MeaningFixtures.results(run, MeaningFixtures.KVM_HOST, Map.of(), Map.of("qemu", 400.4));
        assertThat(PlanFit.Footprint.of(run, results.density().getFirst()).overheadMiB()).isEqualTo(400 - 256);
    }

    @Test
    void aFootprintWhosePssAndKernelMemoryExceedMemAvailablesDropUsesTheLargerAsTheReportDoes() {
        var run = MeaningFixtures.run(5, List.of("uml"));
        // MemAvailable fell by 300 MiB per guest, but PSS (330) plus kernel memory (20) say 350: the larger counts.
        var summary = new ReportResults.DensitySummary("uml", 4, "safety_cap", 300.0, 256.0, 1.0, 500.0, 490.0, 0, 1.0,
                330.0, 20.0, 0, null, 1.0);
        assertThat(PlanFit.Footprint.of(run, summary).overheadMiB()).isEqualTo(350 - 256).isEqualTo(summary.beyondRam(256));
    }

    @Test
    void aRunWhoseRequestNamedNoReserveFitsWithTheNodesReserveAsPlacementDoes() {
        var named = MeaningFixtures.run(6, List.of("oci"));
        var defaulted = new dev.slice.report.ReportRun(7, 1, 17, List.of("oci"), 1, 256, 1024, dev.slice.report.Depth.QUICK, true, 2048,
                dev.slice.report.ReportStatus.SUCCEEDED, null, 3, null, java.time.Instant.EPOCH, null, null, false);
        var summary = new ReportResults.DensitySummary("oci", 3, "safety_cap", 260.0, 3.0, 4.6, 500.0, 492.0, 0, 1.0);
        Node keepsTenth = new Node(1, "local", 64, 20_000, 1_000_000, 16.0, 0.9, 4.0, null, true);

        PlanFit.Fit byRun = PlanFit.of(keepsTenth, new PlanFit.Size(1, 256, 1024), PlanFit.Footprint.of(named, summary));
        assertThat(byRun.byMemory()).as("(20000 - 2048) x 0.9 / 260").isEqualTo((long) Math.floor((20_000 - 2048) * 0.9) / 260);
        assertThat(byRun.reserve().source()).isEqualTo("run");
        assertThat(byRun.reserve().description()).isEqualTo("the run's: 2048 MiB kept free (named in its request)");

        PlanFit.Fit byNode = PlanFit.of(keepsTenth, new PlanFit.Size(1, 256, 1024), PlanFit.Footprint.of(defaulted, summary));
        assertThat(byNode.byMemory()).as("20000 x 0.9 / 260: what placement hands out").isEqualTo(18_000 / 260);
        assertThat(byNode.reserve().source()).isEqualTo("node");
        assertThat(byNode.reserve().keptForHostMiB()).isEqualTo(2000);
        assertThat(byNode.reserve().description()).isEqualTo("the node's: 2000 MiB kept for the host (memory overcommit x0.90)");
    }
}
