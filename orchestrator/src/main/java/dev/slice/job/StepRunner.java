package dev.slice.job;

/** Carries out steps; the worker calls it and records progress. Kept apart so the worker knows no guests. */
public interface StepRunner {
    /** Runs one step of the job and returns a line for the job's output (may be empty). Must be idempotent. */
    String run(Job job, Step step) throws Exception;

    /** The job failed for good (no retries left, or a permanent error): leave things in an honest state. */
    void failed(Job job, String error);
}
