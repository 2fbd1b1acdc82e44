package dev.slice.report;

import java.time.Instant;
import java.util.List;

/** One benchmark run: what it measures (backends at one plan size, a depth) and how far it got. */
public record ReportRun(long id, long nodeId, long jobId, List<String> backends, int vcpus, long memoryMiB, long diskMiB, Depth depth,
                        boolean density, long reserveMiB,
                        ReportStatus status, String error, long version, Long createdBy, Instant createdAt, Instant startedAt,
                        Instant finishedAt) {}
