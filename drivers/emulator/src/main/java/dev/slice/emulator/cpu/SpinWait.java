package dev.slice.emulator.cpu;

import java.util.concurrent.locks.LockSupport;

/**
 * What a hart's thread does on a {@code pause} hint (Linux's {@code cpu_relax}, in every spin loop: ticket spinlocks,
 * {@code csd_lock_wait}, {@code udelay}). A short spin stays on the host CPU, yielding it every 16th pause, so a lock
 * held a few microseconds by another hart running on the other host CPU is taken as soon as it is free. A spin that
 * goes on longer than {@link #PARK_AFTER_NANOS} means the hart it waits for is not running (its thread was descheduled
 * by the host: on a 2-core host the JIT compiler and other processes compete with the harts), so the spinning thread
 * sleeps {@link #PARK_NANOS} per pause from then on: the host CPU goes to the waited-for hart instead of to the spin
 * (Thread.yield only helps a thread queued on the same host CPU). Like KVM's pause-loop exiting, in spirit.
 * This hart's thread only.
 */
final class SpinWait {
    /** Pauses further apart than this are separate spins. */
    static final long SPIN_GAP_NANOS = 20_000;
    static final long PARK_AFTER_NANOS = 50_000;
    static final long PARK_NANOS = 50_000;
    private long spinStart, lastPause = System.nanoTime() - SPIN_GAP_NANOS - 1; // nanoTime has no fixed origin
    /** Pauses that slept, for the tests. */
    long parks;

    /**
     * One pause hint; {@code count} is the hart's pause count including this one. True when it slept: the hart then
     * ends its batch, so that its timers are looked at (a batch counts instructions, and a sleeping spin retires few).
     */
    boolean pause(long count) {
        long now = System.nanoTime();
        if (now - lastPause > SPIN_GAP_NANOS) spinStart = now;
        if (now - spinStart > PARK_AFTER_NANOS) {
            LockSupport.parkNanos(PARK_NANOS);
            parks++;
            lastPause = System.nanoTime(); // the sleep is part of the spin, not a gap between two
            return true;
        }
        if ((count & 15) == 0) Thread.yield();
        lastPause = now;
        return false;
    }
}
