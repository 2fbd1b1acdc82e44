package dev.slice.plan;

import dev.slice.driver.BackendKind;
import java.time.Instant;

/**
 * What a customer buys. {@code backend} is {@link BackendKind#id()}. Prices in cents per month. {@code nodeGroup}: the
 * group of nodes (a location) its servers are placed in; null: any. {@code trafficAllowanceGb}: outbound GB a month
 * included, 0 unmetered; {@code overagePerGbCents}: the price of each GB over it (billing's {@code TrafficRule}).
 */
public record Plan(long id, long ownerId, String ownerUsername, String name, String backend, int vcpus, long memoryMiB,
                   long diskMiB, int bandwidthMbit, long monthlyPriceCents, boolean active, Instant createdAt, String nodeGroup,
                   long trafficAllowanceGb, long overagePerGbCents) {
    public BackendKind backendKind() { return BackendKind.fromId(backend); }
}
