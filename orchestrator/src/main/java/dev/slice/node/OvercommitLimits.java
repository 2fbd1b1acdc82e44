package dev.slice.node;

import dev.slice.error.ValidationException;

/**
 * How far a node may promise beyond what it has: placement multiplies a node's CPUs, memory and disk by these
 * ratios. Each must be a finite number in its range (NaN compares false with everything, so a range check written
 * as "refuse if below or above" lets it through; it would then make every order "larger than any node").
 *
 * <ul>
 *   <li>At least 0.1 for each: below 1 keeps part of the node back for the host itself; a tenth is the least
 *       that still lets a small plan fit on a small node, and a ratio near 0 only turns every order away.</li>
 *   <li>CPU at most 64: idle vCPUs cost little, and dense container hosts run 16-32 per CPU; beyond 64 every
 *       guest starves as soon as a few are busy.</li>
 *   <li>Memory at most 8: memory promised beyond what exists is reclaimed by swapping or the OOM killer;
 *       containers share page cache, so up to 8 can hold for mostly idle guests, never more.</li>
 *   <li>Disk at most 16: disks are thin (sparse images, overlay layers), so most promised space is never
 *       written; 16 is far past what a host can cover when guests fill their disks.</li>
 * </ul>
 */
public final class OvercommitLimits {
    public static final double MIN = 0.1;
    public static final double MAX_CPU = 64;
    public static final double MAX_MEMORY = 8;
    public static final double MAX_DISK = 16;

    private OvercommitLimits() {}

    /** Checks the three ratios; the fields are named as in {@code PUT /api/nodes/{id}/overcommit}. */
    public static void check(double cpu, double memory, double disk) {
        check("cpu", cpu, MAX_CPU);
        check("memory", memory, MAX_MEMORY);
        check("disk", disk, MAX_DISK);
    }

    private static void check(String field, double ratio, double max) {
        if (!(ratio >= MIN && ratio <= max)) {
            throw new ValidationException(field, "a ratio between " + MIN + " and " + max + " (got " + ratio + ")");
        }
    }
}
