package dev.slice.job;

import java.util.EnumMap;
import java.util.Map;

/** Hands each job to the runner of its kind (servers' guests by default, benchmark runs to theirs). */
public final class StepRouter implements StepRunner {
    private final StepRunner fallback;
    private final Map<JobKind, StepRunner> byKind;

    public StepRouter(StepRunner fallback, Map<JobKind, StepRunner> byKind) {
        this.fallback = fallback;
        this.byKind = byKind.isEmpty() ? Map.of() : new EnumMap<>(byKind);
    }

    @Override
    public String run(Job job, Step step) throws Exception {
        return byKind.getOrDefault(job.kind(), fallback).run(job, step);
    }

    @Override
    public void failed(Job job, String error) {
        byKind.getOrDefault(job.kind(), fallback).failed(job, error);
    }
}
