package dev.slice.plan;

/**
 * A new plan. {@code backend} is a BackendKind id (oci, qemu, xen, uml, emulator). {@code trafficAllowanceGb}: outbound GB
 * a month included (0, or absent: unmetered); {@code overagePerGbCents}: the price of each GB over it.
 */
public record PlanRequest(String name, String backend, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit,
                          long monthlyPriceCents, long trafficAllowanceGb, long overagePerGbCents) {

    /** An unmetered plan. */
    public PlanRequest(String name, String backend, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit, long monthlyPriceCents) {
        this(name, backend, vcpus, memoryMiB, diskMiB, bandwidthMbit, monthlyPriceCents, 0, 0);
    }
}
