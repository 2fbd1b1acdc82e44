package dev.slice.job;

import java.time.Instant;

/** Progress of one step: pending, running, done or failed. */
public record JobStep(int index, Step step, String status, Instant startedAt, Instant finishedAt, String output) {}
