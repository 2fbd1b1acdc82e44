package dev.slice.report;

import java.util.Locale;

/**
 * The host memory a "fit here" figure keeps back, and whose rule that is. Nodes have no reserve of their own: what a
 * node keeps for the host is its memory overcommit below 1 (placement hands out memory x ratio, nothing else). So a
 * fit keeps the node's reserve by subtracting nothing before the overcommit, as placement does; only a reserve the
 * run's request named is subtracted first. The run's default reserve (2 GiB) only stops the density run from
 * starting more guests; it says nothing about how the node is run.
 *
 * @param source         {@link #RUN} (named in the run's request) or {@link #NODE}
 * @param reserveMiB     what {@link DensityRules#guestsThatFit} subtracts from the host memory before the overcommit
 * @param keptForHostMiB what the host keeps in all: the run's reserve, or the node's memory times (1 - overcommit)
 * @param description    for the report, e.g. "the node's: 819 MiB kept for the host (memory overcommit x0.90)"
 */
public record FitReserve(String source, long reserveMiB, long keptForHostMiB, String description) {
    public static final String RUN = "run";
    public static final String NODE = "node";

    public static FitReserve of(ReportRun run, long hostMemoryMiB, double memoryOvercommit) {
        return run.reserveRequested() ? ofRun(run.reserveMiB()) : ofNode(hostMemoryMiB, memoryOvercommit);
    }

    /** A reserve the run's request named: kept free before the overcommit. */
    public static FitReserve ofRun(long reserveMiB) {
        return new FitReserve(RUN, reserveMiB, reserveMiB, "the run's: " + reserveMiB + " MiB kept free (named in its request)");
    }

    /** The node's: what its memory overcommit below 1 keeps back for the host (none at 1 or above). */
    public static FitReserve ofNode(long memoryMiB, double memoryOvercommit) {
        long kept = Math.max(0, memoryMiB - (long) Math.floor(memoryMiB * memoryOvercommit));
        String ratio = String.format(Locale.ROOT, "x%.2f", memoryOvercommit);
        return new FitReserve(NODE, 0, kept, kept > 0
                ? "the node's: " + kept + " MiB kept for the host (memory overcommit " + ratio + ")"
                : "the node's: none (memory overcommit " + ratio + " keeps no memory back for the host)");
    }
}
