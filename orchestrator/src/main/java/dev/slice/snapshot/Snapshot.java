package dev.slice.snapshot;

import java.time.Instant;

/**
 * A snapshot of a server's disk as the panel and the API show it.
 *
 * @param name  the customer's label
 * @param error why its take or delete failed, if it did
 */
public record Snapshot(long id, long serverId, String name, SnapshotStatus status, String error, Instant createdAt,
                       long version) {

    /** The name its guest's driver knows it by: the row's id, never the customer's text. */
    public String driverName() { return "slice-" + id; }
}
