package dev.slice.job;

import java.time.Instant;
import java.util.List;

/**
 * A durable job. {@code nextStep} is the index of the first step not yet done; a job picked up again
 * (retry or dead worker) continues there.
 */
public record Job(long id, Long serverId, JobKind kind, JobStatus status, List<JobStep> steps, int nextStep, int attempts,
                  int maxAttempts, String params, String error, String output, String claimedBy, Instant heartbeatAt,
                  Instant runAfter, Long createdBy, Instant createdAt, Instant startedAt, Instant finishedAt) {

    /** Done steps out of all, for progress bars. */
    public double progress() {
        return steps.isEmpty() ? 1.0 : (double) nextStep / steps.size();
    }
}
