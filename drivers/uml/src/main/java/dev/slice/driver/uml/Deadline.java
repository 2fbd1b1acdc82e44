package dev.slice.driver.uml;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waits for a host-side condition (a process ends, a file appears) until a deadline on the injected clock. */
final class Deadline {
    private static final Duration POLL = Duration.ofMillis(20);

    private Deadline() {}

    /** True when the condition held before {@code timeout} passed. */
    static boolean await(Clock clock, Duration timeout, BooleanSupplier condition) {
        Instant end = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (!clock.instant().isBefore(end)) return false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }
}
