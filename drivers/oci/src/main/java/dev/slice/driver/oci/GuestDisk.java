package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A guest's writable root: a sparse ext4 image of the plan's disk size, loop-mounted, holding the
 * upper and work directories of an overlay whose lower layer is the read-only template. The guest
 * can never write more than the image holds, and the template is shared by every guest.
 */
final class GuestDisk {
    private static final long MIB = 1024L * 1024L;
    private final ProcessRunner processes;

    GuestDisk(ProcessRunner processes) {
        this.processes = processes;
    }

    /**
     * Makes an ext4 file system of the given size holding a copy of {@code contents} (owners, modes,
     * times kept), so nothing has to be mounted to fill it; no blocks are reserved for root, the
     * guest gets all of it.
     */
    void format(Path image, long sizeMiB, Path contents) {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(sizeMiB * MIB);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make disk image " + image, e);
        }
        processes.runChecked(HostCommand.of(HostTools.path("mkfs.ext4"), "-q", "-F", "-m", "0", "-L", "slice-disk",
                "-E", "lazy_itable_init=1,lazy_journal_init=1", "-d", contents.toString(), image.toString()));
    }

    /** Mounts the disk and the overlay on top of the template; already mounted parts are left as they are. */
    void mount(GuestLayout layout, Path templateRootfs) {
        try {
            Files.createDirectories(layout.diskMount());
            Files.createDirectories(layout.rootfs());
            if (!Mounts.isMounted(layout.diskMount())) {
                processes.runChecked(HostCommand.of(HostTools.path("mount"), "-t", "ext4", "-o", "loop,noatime",
                        layout.diskImage().toString(), layout.diskMount().toString()));
            }
            Files.createDirectories(layout.upperDir());
            Files.createDirectories(layout.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the disk of " + layout.dir(), e);
        }
        if (!Mounts.isMounted(layout.rootfs())) {
            String options = "lowerdir=" + templateRootfs + ",upperdir=" + layout.upperDir() + ",workdir=" + layout.workDir();
            processes.runChecked(HostCommand.of(HostTools.path("mount"), "-t", "overlay", "-o", options,
                    "overlay", layout.rootfs().toString()));
        }
    }

    /** Unmounts the overlay and then the disk; unmounting what is not mounted succeeds. */
    void unmount(GuestLayout layout) {
        unmountIfMounted(layout.rootfs());
        unmountIfMounted(layout.diskMount());
    }

    private void unmountIfMounted(Path mountPoint) {
        while (Mounts.isMounted(mountPoint)) {
            var result = processes.run(HostCommand.of(HostTools.path("umount"), mountPoint.toString()));
            if (!result.succeeded() && Mounts.isMounted(mountPoint)) {
                // Something on the host still uses it (a shell in the directory): detach it now, it goes when released.
                processes.runChecked(HostCommand.of(HostTools.path("umount"), "--lazy", mountPoint.toString()));
            }
        }
    }

    /** The loop device behind a mounted disk, e.g. {@code loop3}. */
    Optional<String> loopDevice(GuestLayout layout) {
        return Mounts.at(layout.diskMount())
                .map(Mounts.Mount::source)
                .filter(source -> source.startsWith("/dev/loop"))
                .map(source -> source.substring("/dev/".length()));
    }

    long sizeMiB(GuestLayout layout) {
        try {
            return Files.size(layout.diskImage()) / MIB;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Grows the image and its file system to the new size; the disk must not be mounted (the kernel
     * here refuses online growth of these small file systems, so it happens at the guest's next start).
     */
    void grow(GuestLayout layout, long sizeMiB) {
        long current = sizeMiB(layout);
        if (sizeMiB <= current) return;
        if (Mounts.isMounted(layout.diskMount())) {
            throw new DriverException("cannot grow the disk of " + layout.dir().getFileName() + " while it is mounted");
        }
        try (RandomAccessFile file = new RandomAccessFile(layout.diskImage().toFile(), "rw")) {
            file.setLength(sizeMiB * MIB);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow " + layout.diskImage(), e);
        }
        var check = processes.run(HostCommand.of(HostTools.path("e2fsck"), "-f", "-p", layout.diskImage().toString()));
        if (check.exitCode() > 1) {
            throw new HostCommandException("e2fsck found errors on " + layout.diskImage() + ": " + check.stdout(), check);
        }
        processes.runChecked(HostCommand.of(HostTools.path("resize2fs"), layout.diskImage().toString()));
    }
}
