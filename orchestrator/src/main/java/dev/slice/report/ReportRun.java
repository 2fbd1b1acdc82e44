package dev.slice.report;

import java.time.Instant;
import java.util.List;

/**
 * One benchmark run: what it measures (backends at one plan size, a depth) and how far it got.
 *
 * @param reserveMiB       host memory the density run keeps free while it adds guests
 * @param reserveRequested the operator's request named {@code reserveMiB}: only then does the "fit here" figure keep it
 *                         (otherwise it keeps what the node keeps for the host, see {@link ReportResults.DensitySummary})
 */
public record ReportRun(long id, long nodeId, long jobId, List<String> backends, int vcpus, long memoryMiB, long diskMiB, Depth depth,
                        boolean density, long reserveMiB,
                        ReportStatus status, String error, long version, Long createdBy, Instant createdAt, Instant startedAt,
                        Instant finishedAt, boolean reserveRequested) {

    /** A run whose reserve was named in its request. */
    public ReportRun(long id, long nodeId, long jobId, List<String> backends, int vcpus, long memoryMiB, long diskMiB, Depth depth,
                     boolean density, long reserveMiB, ReportStatus status, String error, long version, Long createdBy, Instant createdAt,
                     Instant startedAt, Instant finishedAt) {
        this(id, nodeId, jobId, backends, vcpus, memoryMiB, diskMiB, depth, density, reserveMiB, status, error, version, createdBy,
                createdAt, startedAt, finishedAt, true);
    }
}
