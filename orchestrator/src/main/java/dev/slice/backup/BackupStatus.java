package dev.slice.backup;

import java.util.Locale;

/** Where a backup is in its life; the allowed changes are {@link BackupTransitions}. */
public enum BackupStatus {
    /** Its backup job is queued or running. */
    CREATING,
    /** Written and verified: it can be restored. */
    READY,
    /** Its delete job is queued or running. */
    DELETING,
    /** Its archive is gone (deleted, pruned, or its retention ended); the row stays for the record. */
    DELETED,
    /** The backup job failed; nothing to restore. It can be deleted. */
    FAILED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static BackupStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
