package dev.slice.plan;

/** A new plan. {@code backend} is a BackendKind id (oci, qemu, xen, uml, emulator). */
public record PlanRequest(String name, String backend, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit,
                          long monthlyPriceCents) {}
