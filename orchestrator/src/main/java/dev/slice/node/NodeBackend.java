package dev.slice.node;

import dev.slice.driver.Capacity;
import java.time.Instant;

/**
 * What one backend's probe said on a node, with the capacity it reported (null: not reported yet) and what the
 * node's live servers of that backend hold.
 */
public record NodeBackend(String backend, String driverName, boolean available, String version, String detail, Instant probedAt,
                          Capacity capacity, Held held) {
    /** The vCPUs, memory and disk the node's live servers of one backend hold. */
    public record Held(int servers, int vcpus, long memoryMiB, long diskMiB) {
        public static final Held NONE = new Held(0, 0, 0, 0);
    }
}
