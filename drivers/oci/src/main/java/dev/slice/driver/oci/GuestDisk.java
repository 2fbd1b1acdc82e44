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
    /** The most a rescue system's root may hold beyond its template (tools a customer installs). */
    static final long RESCUE_ROOT_MIB = 512;
    private static final java.time.Duration FSCK_TIMEOUT = java.time.Duration.ofMinutes(10);
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

    /**
     * Mounts a rescue system's root: the rescue template under a fresh upper layer in a tmpfs (its pages are charged
     * to the container that writes them, so the plan's memory bounds it), with the guest's disk not mounted at all.
     */
    void mountRescue(GuestLayout layout, Path rescueTemplateRootfs) {
        try {
            Files.createDirectories(layout.rescueRoot());
            Files.createDirectories(layout.rootfs());
            if (!Mounts.isMounted(layout.rescueRoot())) {
                processes.runChecked(HostCommand.of(HostTools.path("mount"), "-t", "tmpfs", "-o",
                        "size=" + RESCUE_ROOT_MIB + "m,mode=0700,nosuid,nodev", "slice-rescue", layout.rescueRoot().toString()));
            }
            Files.createDirectories(layout.rescueRoot().resolve("upper"));
            Files.createDirectories(layout.rescueRoot().resolve("work"));
            Files.setPosixFilePermissions(layout.rescueRoot().resolve("upper"), Files.getPosixFilePermissions(rescueTemplateRootfs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the rescue root of " + layout.dir(), e);
        }
        if (!Mounts.isMounted(layout.rootfs())) {
            String options = "lowerdir=" + rescueTemplateRootfs + ",upperdir=" + layout.rescueRoot().resolve("upper")
                    + ",workdir=" + layout.rescueRoot().resolve("work");
            processes.runChecked(HostCommand.of(HostTools.path("mount"), "-t", "overlay", "-o", options,
                    "overlay", layout.rootfs().toString()));
        }
    }

    /**
     * Checks and repairs the unmounted disk with e2fsck before the host mounts it again: a rescue system wrote its raw
     * blocks, and the host kernel must never mount a file system whose metadata a guest made up.
     *
     * @throws DriverException when e2fsck finds errors it cannot correct (exit code 4 or more)
     */
    void checkAfterRescue(GuestLayout layout) {
        if (Mounts.isMounted(layout.diskMount())) {
            throw new DriverException("cannot check the disk of " + layout.dir().getFileName() + " while it is mounted");
        }
        var check = processes.run(HostCommand.of(HostTools.path("e2fsck"), "-f", "-y", layout.diskImage().toString())
                .withTimeout(FSCK_TIMEOUT));
        if (check.exitCode() > 2 || check.exitCode() < 0) {
            throw new HostCommandException("e2fsck could not repair " + layout.diskImage() + " after rescue (exit code "
                    + check.exitCode() + "): " + (check.stdout() + check.stderr()).strip(), check);
        }
    }

    /** A block device of the host, as a container's configuration names it. */
    record BlockDevice(String path, int major, int minor) {}

    /** The disk image on a loop device of its own (one already attached to it is reused), for a rescue system. */
    BlockDevice attachLoop(GuestLayout layout) {
        String device = processes.runChecked(HostCommand.of(HostTools.path("losetup"), "--find", "--show", "--nooverlap",
                layout.diskImage().toString())).stdout().strip();
        if (!device.matches("/dev/loop\\d+")) throw new DriverException("losetup attached " + layout.diskImage() + " as '" + device + "'");
        try {
            String[] numbers = Files.readString(Path.of("/sys/block", device.substring("/dev/".length()), "dev")).strip().split(":");
            return new BlockDevice(device, Integer.parseInt(numbers[0]), Integer.parseInt(numbers[1]));
        } catch (IOException | RuntimeException e) {
            throw new DriverException("cannot read the device numbers of " + device + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts the overlay, the disk and a rescue root, then detaches the loop devices still on the disk image (a
     * rescue system's: the disk's own mount detaches its loop when unmounted); what is not there is fine.
     */
    void unmount(GuestLayout layout) {
        unmountIfMounted(layout.rootfs());
        unmountIfMounted(layout.diskMount());
        unmountIfMounted(layout.rescueRoot());
        if (!Files.exists(layout.diskImage())) return;
        String attached = processes.runChecked(HostCommand.of(HostTools.path("losetup"), "--list", "--associated",
                layout.diskImage().toString(), "--noheadings", "--output", "NAME")).stdout();
        for (String device : attached.lines().map(String::strip).filter(line -> !line.isEmpty()).toList()) {
            processes.runChecked(HostCommand.of(HostTools.path("losetup"), "--detach", device));
        }
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
