package dev.slice.snapshot;

import java.util.Locale;

/** Where a server's snapshot is in its life; the allowed changes are {@link SnapshotTransitions}. */
public enum SnapshotStatus {
    /** Its take job is queued or running. */
    CREATING,
    READY,
    /** Its delete job is queued or running. */
    DELETING,
    /** Gone from the guest's disk (or the guest is gone); the row stays for the record. */
    DELETED,
    /** The take failed; nothing to revert to. It can be deleted. */
    FAILED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static SnapshotStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
