package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Results from samples alone: warm-ups left out, latencies inverted, one geometric mean per backend, TCG labelled. */
class ReportResultsTest {
    private static final HostLoad IDLE = new HostLoad(0.5, 1.0, 0.0, 20_000);
    private static final HostFacts HOST = new HostFacts("cpu", 2, 24_000, "6.1", "cgroup v1", false, "off", "unknown",
            Map.of("oci", "oci:runc 1.1.5", "qemu", "qemu:///system 7.2 (TCG: no KVM)"));

    @Test
    void ratiosComeFromMeasuredRoundsOnly() {
        List<Sample> samples = new ArrayList<>();
        add(samples, Sample.BARE_METAL, Metric.CPU_INT, 1000, 100, 100, 100); // round 0 is the warm-up
        add(samples, "oci", Metric.CPU_INT, 1, 90, 90, 90);
        add(samples, Sample.BARE_METAL, Metric.SYSCALL_NULL, 1, 100, 100, 100);
        add(samples, "oci", Metric.SYSCALL_NULL, 1, 125, 125, 125);
        add(samples, Sample.BARE_METAL, Metric.MEM_COPY, 1, 100, 100, 100);
        add(samples, "qemu", Metric.CPU_INT, 1, 10, 10);
        ReportResults results = ReportResults.compute(run(List.of("oci", "qemu")), HOST, samples, Map.of("oci", 240.0));

        var cpu = overhead(results, "oci", Metric.CPU_INT);
        assertThat(cpu.ratio()).isCloseTo(0.9, within(1e-12));
        var syscall = overhead(results, "oci", Metric.SYSCALL_NULL);
        assertThat(syscall.ratio()).as("latency 1.25x = 0.8 of the speed").isCloseTo(0.8, within(1e-12));
        assertThat(results.overheads()).as("no guest figure for mem_copy: no ratio").noneMatch(o -> o.metric().equals("mem_copy"));

        var oci = results.summaries().stream().filter(s -> s.backend().equals("oci")).findFirst().orElseThrow();
        assertThat(oci.geometricMean()).isCloseTo(Math.sqrt(0.9 * 0.8), within(1e-12));
        assertThat(oci.bootMillis()).isEqualTo(240.0);
        assertThat(oci.emulated()).isFalse();
        var qemu = results.summaries().stream().filter(s -> s.backend().equals("qemu")).findFirst().orElseThrow();
        assertThat(qemu.emulated()).as("QEMU without KVM is emulation").isTrue();
        assertThat(qemu.geometricMean()).isCloseTo(0.1, within(1e-12));

        assertThat(results.figures()).filteredOn(f -> f.target().equals(Sample.BARE_METAL) && f.metric().equals("cpu_int"))
                .singleElement().satisfies(f -> assertThat(f.n()).isEqualTo(3));
        assertThat(results.table()).contains("cpu_int").contains("0.90").contains("(emulated)");
    }

    @Test
    void densityGivesTheGuestsThatFitFromTheFootprintAndBootPercentilesPerConcurrency() {
        ReportRun run = run(List.of("qemu"));
        Instant t = Instant.EPOCH;
        var curve = List.of(
                new ReportRepository.DensityPoint("qemu", 0, 20_000, null, null, null, null, null, t),
                new ReportRepository.DensityPoint("qemu", 1, 19_600, 400.0, 380.0, 1.5, 100.0, null, t),
                new ReportRepository.DensityPoint("qemu", 2, 19_240, 380.0, 370.0, 1.4, 90.0, "safety_cap", t));
        var guests = List.of(
                new ReportRepository.RunGuest("g0", 1, "qemu", "measure", "destroyed", 5000.0, 1),
                new ReportRepository.RunGuest("g1", 1, "qemu", "density", "destroyed", 6000.0, 1),
                new ReportRepository.RunGuest("g2", 1, "qemu", "density", "destroyed", 7000.0, 4),
                new ReportRepository.RunGuest("g3", 1, "qemu", "density", "destroyed", 9000.0, 4),
                new ReportRepository.RunGuest("g4", 1, "qemu", "density", "destroyed", null, 4));
        ReportResults results = ReportResults.compute(run, HOST, List.of(), Map.of()).withDensity(curve, guests, 1.5);

        var density = results.density().getFirst();
        assertThat(density.guests()).isEqualTo(2);
        assertThat(density.stopReason()).isEqualTo("safety_cap");
        assertThat(density.cpuScoreFirst()).isEqualTo(100.0);
        assertThat(density.cpuScoreLast()).isEqualTo(90.0);
        // (24000 - 2048) * 1.5 / (256 RAM + (380 - 256) beyond it) = 86.6
        assertThat(density.guestsThatFit()).isEqualTo(86);
        assertThat(results.bootTimes()).containsExactly(
                new ReportResults.BootTimes("qemu", 1, 2, 5000.0, 6000.0),
                new ReportResults.BootTimes("qemu", 4, 2, 7000.0, 9000.0));
    }

    @Test
    void theFootprintIsTheLargerOfPssPlusKernelAndMemAvailablesDropAndTheCpuMayLimitTheFit() {
        ReportRun run = run(List.of("oci"));
        Instant t = Instant.EPOCH;
        var curve = List.of(
                new ReportRepository.DensityPoint("oci", 0, 20_000, null, null, null, null, null, t),
                new ReportRepository.DensityPoint("oci", 1, 19_990, 10.0, 3.0, 0.5, 100.0, null, t, 300.0, 20.0, 2),
                new ReportRepository.DensityPoint("oci", 2, 19_980, -5.0, 3.0, 0.4, 99.0, "safety_cap", t, 290.0, 10.0, 4));
        ReportResults results = ReportResults.compute(run, HOST, List.of(), Map.of()).withDensity(curve, List.of(), 1.0, 4.0);

        var density = results.density().getFirst();
        assertThat(density.pssMiBPerGuest()).isEqualTo(290.0);
        assertThat(density.kernelMiBPerGuest()).isEqualTo(10.0);
        // (24000 - 2048) * 1.0 / (256 RAM + (290 + 10 - 256) beyond it) = 73.2; 2 cores x 4 / 1 vCPU = 8
        assertThat(density.guestsThatFitByMemory()).isEqualTo(73);
        assertThat(density.guestsThatFitByCpu()).isEqualTo(8);
        assertThat(density.guestsThatFit()).isEqualTo(8);
        assertThat(ReportResults.DensitySummary.beyondRam(400.0, 100.0, 5.0, 256)).as("MemAvailable's drop is larger").isEqualTo(144);
        assertThat(ReportResults.DensitySummary.beyondRam(null, null, null, 256)).isZero();
        assertThat(results.densityTable()).contains("PSS 290.0 MiB + kernel 10.0 MiB").contains("fit here: 8");
    }

    @Test
    void nearestRankPercentiles() {
        assertThat(ReportResults.percentile(List.of(3.0, 1.0, 2.0, 4.0), 0.5)).isEqualTo(2.0);
        assertThat(ReportResults.percentile(List.of(3.0, 1.0, 2.0, 4.0), 0.95)).isEqualTo(4.0);
        assertThat(ReportResults.percentile(List.of(7.0), 0.95)).isEqualTo(7.0);
    }

    @Test
    void eachBurstCountsItsStartedBootedAndFailedGuestsWithTheReasons() {
        ReportRun run = run(List.of("uml"));
        String lock = "could not allocate a host user for UML guest: OverlappingFileLockException";
        var guests = List.of(
                new ReportRepository.RunGuest("m", 1, "uml", "measure", "destroyed", 900.0, 1, null),
                new ReportRepository.RunGuest("d0", 1, "uml", "density", "destroyed", 1000.0, 1, null),
                new ReportRepository.RunGuest("d1", 1, "uml", "density", "destroyed", null, 1, "did not start within PT30S"),
                new ReportRepository.RunGuest("b4-0", 1, "uml", "density", "destroyed", 2000.0, 4, null),
                new ReportRepository.RunGuest("b4-1", 1, "uml", "density", "destroyed", null, 4, lock),
                new ReportRepository.RunGuest("b4-2", 1, "uml", "density", "destroyed", null, 4, lock),
                new ReportRepository.RunGuest("b4-3", 1, "uml", "density", "destroyed", null, 4, lock),
                new ReportRepository.RunGuest("b16-0", 1, "uml", "density", "destroyed", 3000.0, 16, null),
                new ReportRepository.RunGuest("b16-1", 1, "uml", "density", "destroyed", null, 16, lock),
                new ReportRepository.RunGuest("b16-2", 1, "uml", "density", "destroyed", null, 16, "not booted within the burst's 360 s"),
                new ReportRepository.RunGuest("b16-3", 1, "uml", "density", "destroyed", null, 16, null));
        ReportResults results = ReportResults.compute(run, HOST, List.of(), Map.of()).withDensity(List.of(), guests, 1.0);

        assertThat(results.bursts()).extracting(ReportResults.Burst::concurrency).containsExactly(1, 4, 16);
        var four = results.bursts().get(1);
        assertThat(four.started()).isEqualTo(4);
        assertThat(four.booted()).isEqualTo(1);
        assertThat(four.failed()).isEqualTo(3);
        assertThat(four.summary()).isEqualTo("4 started, 1 booted, 3 failed: " + lock);
        var sixteen = results.bursts().get(2);
        assertThat(sixteen.reasons()).containsExactly(new ReportResults.Burst.Reason(lock, 1),
                new ReportResults.Burst.Reason("not booted within the burst's 360 s", 1));
        assertThat(sixteen.summary()).isEqualTo("4 started, 1 booted, 2 failed: " + lock + " (1); not booted within the burst's 360 s (1);"
                + " 1 not timed");
        assertThat(results.bursts().getFirst().summary()).as("one by one, the measure guest left out")
                .isEqualTo("2 started, 1 booted, 1 failed: did not start within PT30S");
        assertThat(results.bootTimes()).filteredOn(b -> b.concurrency() == 4).singleElement()
                .satisfies(b -> assertThat(b.n()).as("only booted guests have a boot time").isEqualTo(1));
        assertThat(results.densityTable()).contains("uml       boots 4 at once: 4 started, 1 booted, 3 failed: " + lock)
                .contains("uml       boots one by one: 2 started, 1 booted, 1 failed: did not start within PT30S");
    }

    @Test
    void fitHereKeepsTheNodesReserveUnlessTheRequestNamedOne() {
        var curve = List.of(
                new ReportRepository.DensityPoint("oci", 0, 20_000, null, null, null, null, null, Instant.EPOCH),
                new ReportRepository.DensityPoint("oci", 1, 19_700, 300.0, 256.0, 1.0, 100.0, "safety_cap", Instant.EPOCH));
        ReportRun named = run(List.of("oci"));
        ReportRun defaulted = new ReportRun(2, 1, 2, List.of("oci"), 1, 256, 1024, Depth.QUICK, true, 2048, ReportStatus.SUCCEEDED, null,
                0, null, Instant.EPOCH, null, null, false);

        // HOST has 24000 MiB; each guest 256 RAM + 44 beyond it = 300 MiB.
        var byRun = ReportResults.compute(named, HOST, List.of(), Map.of()).withDensity(curve, List.of(), 1.0).density().getFirst();
        assertThat(byRun.guestsThatFitByMemory()).isEqualTo((24_000 - 2048) / 300);
        assertThat(byRun.reserve().source()).isEqualTo("run");
        var byNode = ReportResults.compute(defaulted, HOST, List.of(), Map.of()).withDensity(curve, List.of(), 1.0).density().getFirst();
        assertThat(byNode.guestsThatFitByMemory()).as("memory overcommit 1: the node keeps nothing back").isEqualTo(24_000 / 300);
        assertThat(byNode.reserve().keptForHostMiB()).isZero();
        var keepsTenth = ReportResults.compute(defaulted, HOST, List.of(), Map.of()).withDensity(curve, List.of(), 0.9);
        assertThat(keepsTenth.density().getFirst().guestsThatFitByMemory()).isEqualTo(21_600 / 300);
        assertThat(keepsTenth.densityTable()).contains("reserve the node's: 2400 MiB kept for the host (memory overcommit x0.90)");
        assertThat(ReportResults.compute(named, HOST, List.of(), Map.of()).withDensity(curve, List.of(), 0.9).densityTable())
                .contains("reserve the run's: 2048 MiB kept free (named in its request)");
    }

    private static ReportResults.Overhead overhead(ReportResults results, String backend, Metric metric) {
        return results.overheads().stream().filter(o -> o.backend().equals(backend) && o.metric().equals(metric.id())).findFirst()
                .orElseThrow();
    }

    /** Round 0 (the first value) is the warm-up. */
    private static void add(List<Sample> samples, String target, Metric metric, double... values) {
        for (int round = 0; round < values.length; round++) {
            samples.add(new Sample(target, round, round == 0, metric, values[round], true, IDLE, Instant.EPOCH));
        }
    }

    private static ReportRun run(List<String> backends) {
        return new ReportRun(1, 1, 1, backends, 1, 256, 1024, Depth.QUICK, false, 2048, ReportStatus.SUCCEEDED, null, 0, null, Instant.EPOCH, null, null);
    }
}
