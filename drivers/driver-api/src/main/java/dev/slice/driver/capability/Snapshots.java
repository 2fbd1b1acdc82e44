package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import java.util.List;

/**
 * Point-in-time copies of a guest's disk, kept beside it on its host. Names are chosen by the caller
 * ({@link #validName}); every operation is idempotent on the name, so a job that repeats a step converges.
 */
public interface Snapshots extends Capability {

    /**
     * Takes a snapshot of the guest's disk as it is now. A backend may take it of a running guest (and then may
     * keep the guest's memory with it) or require a stopped one ({@link #needsStoppedGuest}). A snapshot of that
     * name that already exists is kept as it is.
     */
    void snapshot(GuestId id, String name);

    /** The guest's snapshots, oldest first. */
    List<String> snapshots(GuestId id);

    /**
     * Brings the guest's disk back to the snapshot; what was written since is lost. The guest may be left running
     * (a snapshot that kept the memory resumes) or stopped; the caller starts it when it wants it running.
     *
     * @throws dev.slice.driver.DriverException when there is no snapshot of that name
     */
    void revert(GuestId id, String name);

    /** Deletes the snapshot; deleting an absent one succeeds. */
    void deleteSnapshot(GuestId id, String name);

    /** Whether {@link #snapshot} and {@link #revert} need the guest stopped first (a copied disk, not a live one). */
    default boolean needsStoppedGuest() { return false; }

    /** 1-63 characters of letters, digits, '-', '_' and '.', starting with a letter or digit: safe as a file name. */
    static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    }
}
