package dev.slice.report;

import java.util.List;
import java.util.Locale;

/**
 * How thorough a run is. Quick: a few minutes, for CI and a first look (3 measured rounds, 2 emulated: its ratios are
 * a smoke test with wide intervals, never figures to publish). Full: the protocol of
 * REPORTS-NOTES (one warm-up, at least 10 measured rounds, 5 for emulated backends, longer workloads).
 */
public enum Depth {
    QUICK(1, 3, 2, 150, 16, 16, 3, 2000, List.of(4)),
    FULL(1, 10, 5, 1000, 64, 256, 64, 10_000, List.of(4, 16));

    private final int warmUps;
    private final int rounds;
    private final int emulatedRounds;
    private final long workloadMillis;
    private final int memoryMiB;
    private final int diskMiB;
    private final int densityCap;
    private final long idleWindowMillis;
    private final List<Integer> bootBursts;

    Depth(int warmUps, int rounds, int emulatedRounds, long workloadMillis, int memoryMiB, int diskMiB, int densityCap,
          long idleWindowMillis, List<Integer> bootBursts) {
        this.warmUps = warmUps;
        this.rounds = rounds;
        this.emulatedRounds = emulatedRounds;
        this.workloadMillis = workloadMillis;
        this.memoryMiB = memoryMiB;
        this.diskMiB = diskMiB;
        this.densityCap = densityCap;
        this.idleWindowMillis = idleWindowMillis;
        this.bootBursts = bootBursts;
    }

    /** The most density guests started one after another (the memory reserve may stop it earlier). */
    public int densityCap() { return densityCap; }

    /** How long the guests are left idle to measure their CPU use, at each count. */
    public long idleWindowMillis() { return idleWindowMillis; }

    /**
     * After the one-by-one boots (concurrency 1): bursts of this many guests booted at once. Quick boots one burst of 4
     * (not 16) to stay within CI's time; full boots 4 and 16, as the protocol asks.
     */
    public List<Integer> bootBursts() { return bootBursts; }

    /** An emulated backend (each guest a CPU-bound emulator) gets the same measurements with fewer guests. */
    public int densityCap(boolean emulated) { return emulated ? Math.max(2, densityCap / 4) : densityCap; }

    /** Emulated backends: no burst at quick depth, bursts of 4 only at full depth. */
    public List<Integer> bootBursts(boolean emulated) {
        if (!emulated) return bootBursts;
        return this == QUICK ? List.of() : List.of(4);
    }

    public int warmUps() { return warmUps; }

    /** Measured rounds of a target (warm-ups not counted). */
    public int rounds(boolean emulated) { return emulated ? emulatedRounds : rounds; }

    public long workloadMillis() { return workloadMillis; }

    /** Size of each memcpy buffer. */
    public int memoryMiB() { return memoryMiB; }

    /** Size of the disk test file. */
    public int diskMiB() { return diskMiB; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static Depth fromId(String id) {
        for (Depth depth : values()) if (depth.id().equals(id)) return depth;
        throw new IllegalArgumentException("depth must be 'quick' or 'full', not '" + id + "'");
    }
}
