package dev.slice.report.meaning;

import dev.slice.node.Node;
import dev.slice.report.DensityRules;
import dev.slice.report.FitReserve;
import dev.slice.report.ReportResults;
import dev.slice.report.ReportRun;

/**
 * How many guests of a plan fit on a node with one backend, from the footprint a report measured: each guest
 * takes its vCPUs, its disk, and its RAM plus the host memory the report measured beyond the RAM; the node gives
 * its CPUs, memory (less the reserve the report's request named, if it named one: {@link dev.slice.report.FitReserve})
 * and disk times its overcommit ratios. The smallest of the three
 * counts is the answer, and the resource that gives it is named. Memory follows {@link DensityRules#guestsThatFit},
 * the rule the report's own density figure uses.
 */
public final class PlanFit {
    private PlanFit() {}

    /**
     * What one guest of a backend cost the host in a report; {@code reserveMiB} is subtracted from the node's memory before
     * its overcommit when {@code reserveSource} is the run's, and is 0 when it is the node's (its overcommit keeps it).
     */
    public record Footprint(String backend, long runId, long measuredMemoryMiB, long overheadMiB, long reserveMiB, String reserveSource) {
        public Footprint {
            if (overheadMiB < 0) overheadMiB = 0;
            if (FitReserve.NODE.equals(reserveSource)) reserveMiB = 0;
        }

        /** A footprint whose report named its reserve. */
        public Footprint(String backend, long runId, long measuredMemoryMiB, long overheadMiB, long reserveMiB) {
            this(backend, runId, measuredMemoryMiB, overheadMiB, reserveMiB, FitReserve.RUN);
        }

        /**
         * From a report's density summary: the host memory per guest beyond the RAM of the plan size measured, by the
         * same rule as {@link ReportResults.DensitySummary#guestsThatFit()} ({@link ReportResults.DensitySummary#beyondRam(long)}).
         */
        public static Footprint of(ReportRun run, ReportResults.DensitySummary density) {
            return new Footprint(density.backend(), run.id(), run.memoryMiB(), density.beyondRam(run.memoryMiB()),
                    run.reserveRequested() ? run.reserveMiB() : 0, run.reserveRequested() ? FitReserve.RUN : FitReserve.NODE);
        }
    }

    /** The plan size to fit: vCPUs, memory and disk. */
    public record Size(int vcpus, long memoryMiB, long diskMiB) {
        public Size {
            if (vcpus < 1 || memoryMiB < 1 || diskMiB < 1) throw new IllegalArgumentException("a plan size needs vCPUs, memory and disk");
        }
    }

    /**
     * The guests that fit, by each resource and overall; {@code limitedBy} is "memory", "vCPUs" or "disk"; {@code reserve}
     * the memory kept for the host on this node and whose reserve it is.
     */
    public record Fit(String backend, long runId, long guests, long byMemory, long byCpu, long byDisk, String limitedBy, long overheadMiB,
                      FitReserve reserve) {}

    public static Fit of(Node node, Size plan, Footprint footprint) {
        DensityRules rules = new DensityRules(Math.max(0, footprint.reserveMiB()), DensityRules.DEFAULT.cap(),
                DensityRules.DEFAULT.maxMemoryPressure());
        long byMemory = rules.guestsThatFit(node.memoryMiB(), node.memoryOvercommit(), plan.memoryMiB(), footprint.overheadMiB());
        long byCpu = (long) Math.floor(node.cpus() * node.cpuOvercommit() / plan.vcpus());
        long byDisk = (long) Math.floor(node.diskMiB() * node.diskOvercommit() / plan.diskMiB());
        long guests = Math.max(0, Math.min(byMemory, Math.min(byCpu, byDisk)));
        String limitedBy = guests == byMemory ? "memory" : guests == byCpu ? "vCPUs" : "disk";
        FitReserve reserve = FitReserve.RUN.equals(footprint.reserveSource()) ? FitReserve.ofRun(footprint.reserveMiB())
                : FitReserve.ofNode(node.memoryMiB(), node.memoryOvercommit());
        return new Fit(footprint.backend(), footprint.runId(), guests, byMemory, byCpu, byDisk, limitedBy, footprint.overheadMiB(), reserve);
    }
}
