package dev.slice.plan;

/**
 * A new plan. {@code backend} is a BackendKind id (oci, qemu, xen, uml, emulator). {@code trafficAllowanceGb}: outbound GB
 * a month included (0, or absent: unmetered); {@code overagePerGbCents}: the price of each GB over it (absent: 0). They
 * may be absent (boxed) so that requests written before they existed still mean what they meant.
 */
public record PlanRequest(String name, String backend, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit,
                          long monthlyPriceCents, Long trafficAllowanceGb, Long overagePerGbCents) {

    public PlanRequest {
        trafficAllowanceGb = trafficAllowanceGb == null ? Long.valueOf(0) : trafficAllowanceGb;
        overagePerGbCents = overagePerGbCents == null ? Long.valueOf(0) : overagePerGbCents;
    }

    /** An unmetered plan. */
    public PlanRequest(String name, String backend, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit, long monthlyPriceCents) {
        this(name, backend, vcpus, memoryMiB, diskMiB, bandwidthMbit, monthlyPriceCents, 0L, 0L);
    }
}
