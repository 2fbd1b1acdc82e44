package dev.slice.report;

import java.util.Optional;

/**
 * When a density measurement stops adding guests, as one pure rule: never past the operator's memory
 * reserve (the next guest's RAM and its measured overhead must still leave the reserve free), never past
 * the safety cap on the count, and at once when a boot failed or the host started reclaiming memory
 * under pressure.
 *
 * @param reserveMiB memory that must stay available on the host (default 2 GiB)
 * @param cap        the most guests a run may start, whatever memory says
 * @param maxMemoryPressure memory PSI "some avg10" above which the host is considered to be thrashing (percent)
 */
public record DensityRules(long reserveMiB, int cap, double maxMemoryPressure) {
    public static final DensityRules DEFAULT = new DensityRules(2048, 64, 10.0);

    public DensityRules {
        if (reserveMiB < 0) throw new IllegalArgumentException("the memory reserve cannot be negative");
        if (cap < 1) throw new IllegalArgumentException("the safety cap must allow at least one guest");
        if (maxMemoryPressure <= 0) throw new IllegalArgumentException("the memory pressure limit must be positive");
    }

    /** Why a density run stopped. */
    public enum StopReason { MEMORY_RESERVE, SAFETY_CAP, BOOT_FAILED, MEMORY_PRESSURE }

    /**
     * What the host looks like before the next guest would be started.
     *
     * @param guests             guests running now
     * @param memAvailableMiB    the host's MemAvailable now
     * @param guestMemoryMiB     the plan's RAM per guest
     * @param overheadPerGuestMiB measured host memory per guest beyond its RAM so far (0 before the first guest)
     * @param memoryPressure     memory PSI "some avg10" now (percent)
     * @param lastBootFailed     the last guest did not boot
     */
    public record HostNow(int guests, long memAvailableMiB, long guestMemoryMiB, long overheadPerGuestMiB, double memoryPressure,
                          boolean lastBootFailed) {}

    /** Empty: start one more guest. */
    public Optional<StopReason> stopBeforeNext(HostNow host) {
        if (host.lastBootFailed()) return Optional.of(StopReason.BOOT_FAILED);
        if (host.guests() >= cap) return Optional.of(StopReason.SAFETY_CAP);
        if (host.memoryPressure() > maxMemoryPressure) return Optional.of(StopReason.MEMORY_PRESSURE);
        long nextGuestNeeds = host.guestMemoryMiB() + Math.max(0, host.overheadPerGuestMiB());
        if (host.memAvailableMiB() - nextGuestNeeds < reserveMiB) return Optional.of(StopReason.MEMORY_RESERVE);
        return Optional.empty();
    }

    /** How many guests of this footprint fit into {@code memoryMiB} of host memory at a memory overcommit ratio, keeping the reserve. */
    public long guestsThatFit(long hostMemoryMiB, double memoryOvercommit, long guestMemoryMiB, long overheadPerGuestMiB) {
        long usable = (long) Math.floor((hostMemoryMiB - reserveMiB) * memoryOvercommit);
        long perGuest = guestMemoryMiB + Math.max(0, overheadPerGuestMiB);
        if (usable <= 0 || perGuest <= 0) return 0;
        return usable / perGuest;
    }
}
