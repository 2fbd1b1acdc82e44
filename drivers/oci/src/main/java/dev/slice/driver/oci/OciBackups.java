package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Backups;
import dev.slice.driver.host.DiskArchive;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Backups of a container's writable layer: its disk image (the ext4 file that holds the overlay's upper directory;
 * the template below it never changes) written to a sparse tar archive ({@link DiskArchive}: only the blocks in use)
 * while the container is stopped and its file system unmounted, and extracted back the same way. A guest of the same template on any host takes the archive.
 */
final class OciBackups implements Backups {
    private final OciPaths paths;
    private final OciDriver driver;
    private final ProcessRunner processes;

    OciBackups(OciPaths paths, OciDriver driver, ProcessRunner processes) {
        this.paths = paths;
        this.driver = driver;
        this.processes = processes;
    }

    @Override
    public void exportDisk(GuestId id, Path archive) {
        driver.locked(id, () -> {
            requireStopped(id, "back up");
            Path disk = paths.guest(id).diskImage();
            if (!Files.exists(disk)) throw new DriverException("container " + id + " has no disk image to back up at " + disk);
            DiskArchive.write(processes, disk, archive);
            return null;
        });
    }

    @Override
    public void restoreDisk(GuestId id, Path archive) {
        driver.locked(id, () -> {
            if (!Files.isRegularFile(archive)) throw new DriverException("there is no backup archive at " + archive);
            requireStopped(id, "restore a backup onto");
            DiskArchive.extract(processes, archive, paths.guest(id).diskImage());
            return null;
        });
    }

    private void requireStopped(GuestId id, String action) {
        GuestState state = driver.state(id);
        if (state == GuestState.ABSENT) throw new GuestNotFoundException(id);
        if (state != GuestState.STOPPED) {
            throw new DriverException("cannot " + action + " container " + id + " while it runs; stop it first");
        }
    }
}
