package dev.slice.report;

import dev.slice.driver.GuestId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Guests booted at once, each on a thread of its own, with one deadline for the burst. Every guest that does not
 * boot (the driver refused, or it missed the deadline) keeps its reason on its report row, so the report can say
 * how many of the burst booted and why the others did not.
 */
final class BootBurst {
    private final ReportRepository reports;
    private final Duration deadline;

    BootBurst(ReportRepository reports, Duration deadline) {
        this.reports = reports;
        this.deadline = deadline;
    }

    /** What a burst came to: the guests that booted, and each failed guest with its reason. */
    record Outcome(List<GuestId> booted, List<Failure> failed) {}

    record Failure(GuestId guest, String reason) {}

    /** {@code addresses.get(i)} is the address index of {@code guests.get(i)}; the guests are planned already. */
    Outcome boot(List<GuestId> guests, List<Integer> addresses, DensityMeasurement.GuestBringUp bringUp) throws InterruptedException {
        List<GuestId> booted = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(guests.size());
        try {
            List<Future<Double>> boots = new ArrayList<>();
            for (int i = 0; i < guests.size(); i++) {
                GuestId guest = guests.get(i);
                int address = addresses.get(i);
                boots.add(pool.submit(() -> bringUp.bringUp(guest, address)));
            }
            long end = System.nanoTime() + deadline.toNanos();
            for (int i = 0; i < guests.size(); i++) {
                GuestId guest = guests.get(i);
                String reason;
                try {
                    boots.get(i).get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                    booted.add(guest);
                    continue;
                } catch (ExecutionException e) {
                    reason = reason(e.getCause());
                } catch (TimeoutException e) {
                    boots.get(i).cancel(true);
                    reason = "not booted within the burst's " + deadline.toSeconds() + " s";
                }
                reports.guestFailed(guest.value(), reason);
                failed.add(new Failure(guest, reason));
            }
        } finally {
            pool.shutdownNow();
            // Threads still in a driver call are interrupted; the run's clean-up destroys their guests either way.
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        return new Outcome(List.copyOf(booted), List.copyOf(failed));
    }

    /** The driver's own message, first line only (boot logs follow it), with its type when it has none. */
    static String reason(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) return failure.getClass().getSimpleName();
        String first = message.strip().lines().findFirst().orElse(message).strip();
        return first.length() > 500 ? first.substring(0, 500) + "…" : first;
    }
}
