package dev.slice.snapshot;

import static dev.slice.snapshot.SnapshotStatus.CREATING;
import static dev.slice.snapshot.SnapshotStatus.DELETED;
import static dev.slice.snapshot.SnapshotStatus.DELETING;
import static dev.slice.snapshot.SnapshotStatus.FAILED;
import static dev.slice.snapshot.SnapshotStatus.READY;

import dev.slice.error.ConflictException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of allowed snapshot status changes, like {@code ServerTransitions}. Every status but DELETED may
 * become DELETED: when the guest is destroyed (server deleted or reinstalled), its snapshots go with its disk.
 */
public final class SnapshotTransitions {
    private static final Map<SnapshotStatus, Set<SnapshotStatus>> ALLOWED = new EnumMap<>(SnapshotStatus.class);

    static {
        ALLOWED.put(CREATING, EnumSet.of(READY, FAILED, DELETED));
        ALLOWED.put(READY, EnumSet.of(DELETING, DELETED));
        // A failed delete leaves the snapshot where it was: ready again, to be reverted to or deleted again.
        ALLOWED.put(DELETING, EnumSet.of(DELETED, READY));
        ALLOWED.put(FAILED, EnumSet.of(DELETING, DELETED));
        ALLOWED.put(DELETED, EnumSet.noneOf(SnapshotStatus.class));
    }

    private SnapshotTransitions() {}

    public static boolean allowed(SnapshotStatus from, SnapshotStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    /** The statuses that may become {@code to}. */
    static Set<SnapshotStatus> into(SnapshotStatus to) {
        Set<SnapshotStatus> from = EnumSet.noneOf(SnapshotStatus.class);
        ALLOWED.forEach((status, targets) -> {
            if (targets.contains(to)) from.add(status);
        });
        return from;
    }

    /** Throws a conflict that says what the snapshot is. */
    public static void require(SnapshotStatus from, SnapshotStatus to) {
        if (!allowed(from, to)) throw new ConflictException("a snapshot that is " + from.id() + " cannot become " + to.id());
    }
}
