package dev.slice.backup;

import static dev.slice.backup.BackupStatus.CREATING;
import static dev.slice.backup.BackupStatus.DELETED;
import static dev.slice.backup.BackupStatus.DELETING;
import static dev.slice.backup.BackupStatus.FAILED;
import static dev.slice.backup.BackupStatus.READY;

import dev.slice.error.ConflictException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed backup status changes, like {@code ServerTransitions}. A ready backup may become DELETED
 * directly when the schedule prunes it (within the backup job that made a newer one).
 */
public final class BackupTransitions {
    private static final Map<BackupStatus, Set<BackupStatus>> ALLOWED = new EnumMap<>(BackupStatus.class);

    static {
        ALLOWED.put(CREATING, EnumSet.of(READY, FAILED));
        ALLOWED.put(READY, EnumSet.of(DELETING, DELETED));
        // A failed delete leaves the backup where it was: ready again, to be restored or deleted again.
        ALLOWED.put(DELETING, EnumSet.of(DELETED, READY));
        ALLOWED.put(FAILED, EnumSet.of(DELETING, DELETED));
        ALLOWED.put(DELETED, EnumSet.noneOf(BackupStatus.class));
    }

    private BackupTransitions() {}

    public static boolean allowed(BackupStatus from, BackupStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Throws a conflict that says what the backup is. */
    public static void require(BackupStatus from, BackupStatus to) {
        if (!allowed(from, to)) throw new ConflictException("a backup that is " + from.id() + " cannot become " + to.id());
    }
}
