package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.host.DiskSnapshotFiles;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.util.List;

/**
 * Snapshots of a container's writable layer: copies of its disk image (the ext4 file that holds the overlay's upper
 * directory; the template below it never changes), taken and put back while the container is stopped, so the file
 * system is clean and unmounted ({@link DiskSnapshotFiles}). Kept in the guest's directory: a destroy removes them.
 */
final class OciSnapshots implements Snapshots {
    private final OciPaths paths;
    private final OciDriver driver;
    private final ProcessRunner processes;

    OciSnapshots(OciPaths paths, OciDriver driver, ProcessRunner processes) {
        this.paths = paths;
        this.driver = driver;
        this.processes = processes;
    }

    @Override
    public boolean needsStoppedGuest() { return true; }

    @Override
    public void snapshot(GuestId id, String name) {
        driver.locked(id, () -> {
            if (files(id).exists(name)) return null;
            requireStopped(id, "take a snapshot of");
            files(id).take(paths.guest(id).diskImage(), name);
            return null;
        });
    }

    @Override
    public List<String> snapshots(GuestId id) {
        if (!Files.isDirectory(paths.guestDir(id))) throw new GuestNotFoundException(id);
        return files(id).names();
    }

    @Override
    public void revert(GuestId id, String name) {
        driver.locked(id, () -> {
            if (!files(id).exists(name)) throw new DriverException("guest " + id + " has no snapshot " + name);
            requireStopped(id, "revert");
            files(id).restore(name, paths.guest(id).diskImage());
            return null;
        });
    }

    @Override
    public void deleteSnapshot(GuestId id, String name) {
        driver.locked(id, () -> {
            files(id).delete(name);
            return null;
        });
    }

    private DiskSnapshotFiles files(GuestId id) {
        return new DiskSnapshotFiles(paths.guestDir(id).resolve("snapshots"), processes);
    }

    private void requireStopped(GuestId id, String action) {
        GuestState state = driver.state(id);
        if (state == GuestState.ABSENT) throw new GuestNotFoundException(id);
        if (state != GuestState.STOPPED) {
            throw new DriverException("cannot " + action + " container " + id + " while it runs; stop it first");
        }
    }
}
