package dev.slice.job;

/**
 * One claim of a job by one worker. {@code fence} is a token drawn afresh (from one sequence) at every claim; every write
 * of a claim's holder is conditional on it: a claim that was taken over, even by another thread of the same worker
 * (whose id is the same), can no longer write. The worker id is only for people reading the job log.
 */
public record Claim(long jobId, String worker, long fence) {
}
