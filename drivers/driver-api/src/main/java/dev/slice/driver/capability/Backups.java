package dev.slice.driver.capability;

import dev.slice.driver.GuestId;
import java.nio.file.Path;

/**
 * A guest's own disk written to an archive file outside the guest (a backup store) and put back from one, onto the
 * same guest or onto another created from the same template (a new server, possibly on another host that sees the
 * same store). What the archive holds is the backend's: the part of the disk that is the guest's, not its template's
 * (a container's writable layer, a UML copy-on-write file, a QEMU overlay). The caller verifies the archive (a
 * checksum) and decides where it lives; both operations are idempotent on their files.
 */
public interface Backups extends Capability {

    /**
     * Writes the guest's disk to {@code archive} (made with its parent directories; an existing file is replaced).
     * Written to a partial file renamed at the end, so an export cut short never passes for an archive. A backend
     * that copies a disk in use refuses a running guest ({@link #needsStoppedGuest}): the copy is consistent because
     * the guest's file system is unmounted.
     *
     * @throws dev.slice.driver.DriverException when the guest runs and the backend needs it stopped, or it has no disk
     */
    void exportDisk(GuestId id, Path archive);

    /**
     * Replaces the guest's disk with the archive's; what the guest wrote since is lost. The guest exists (created from
     * the template the archive was taken on) and is stopped; it stays stopped.
     *
     * @throws dev.slice.driver.DriverException naming the archive when there is none, or when the guest runs
     */
    void restoreDisk(GuestId id, Path archive);

    /** Whether {@link #exportDisk} needs the guest stopped (every backend here copies a file system at rest). */
    default boolean needsStoppedGuest() { return true; }
}
