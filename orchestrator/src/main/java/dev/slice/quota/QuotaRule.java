package dev.slice.quota;

import java.util.Locale;
import java.util.Optional;

/** The pure rule: what is held plus what is asked for stays within each limit. Less of a resource is always allowed. */
public final class QuotaRule {
    private QuotaRule() {}

    /** One resource past its limit: {@code used} of {@code max} held, {@code needed} more asked for. */
    public record Exceeded(Resource resource, long used, long max, long needed) {
        /** E.g. "memory: 3,072 of 4,096 MiB sold, this plan needs 2,048". */
        public String describe(String heldVerb, String neededBy) {
            return String.format(Locale.ROOT, "%s: %,d of %,d%s %s, %s %,d", resource.label(), used, max, resource.unit(), heldVerb,
                    neededBy, needed);
        }
    }

    /** The first resource (in {@link Resource} order) the request would take past its limit, or empty if all fit. */
    public static Optional<Exceeded> firstExceeded(Quota quota, Usage used, Usage needed) {
        for (Resource resource : Resource.values()) {
            Long max = quota.max(resource);
            long more = needed.of(resource);
            if (max != null && more > 0 && used.of(resource) + more > max) {
                return Optional.of(new Exceeded(resource, used.of(resource), max, more));
            }
        }
        return Optional.empty();
    }
}
