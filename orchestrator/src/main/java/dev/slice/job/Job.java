package dev.slice.job;

import java.time.Instant;
import java.util.List;

/**
 * A durable job. {@code nextStep} is the index of the first step not yet done; a job picked up again
 * (retry or dead worker) continues there. {@code fence} is the token of its latest claim: see {@link Claim}.
 */
public record Job(long id, Long serverId, JobKind kind, JobStatus status, List<JobStep> steps, int nextStep, int attempts,
                  int maxAttempts, String params, String error, String output, String claimedBy, Instant heartbeatAt,
                  Instant runAfter, Long createdBy, Instant createdAt, Instant startedAt, Instant finishedAt, long fence) {

    /** This claim of the job, which every write of the worker that holds it must name. */
    public Claim claim() {
        return new Claim(id, claimedBy, fence);
    }

    /** Done steps out of all, for progress bars. */
    public double progress() {
        return steps.isEmpty() ? 1.0 : (double) nextStep / steps.size();
    }
}
