package dev.slice.job;

import java.time.Duration;

/** Exponential backoff: base, 2 * base, 4 * base ... capped at max; a job fails for good after maxAttempts failures. */
public record RetryPolicy(int maxAttempts, Duration base, Duration max) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(5));

    /** The delay before the next try after {@code failedAttempts} failures (1 = after the first failure). */
    public Duration delayAfter(int failedAttempts) {
        long millis = base.toMillis();
        for (int i = 1; i < failedAttempts && millis < max.toMillis(); i++) millis *= 2;
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
