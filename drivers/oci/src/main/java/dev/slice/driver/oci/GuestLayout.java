package dev.slice.driver.oci;

import java.nio.file.Path;

/**
 * The files of one guest: its stored spec, its disk image (an ext4 file system that holds the
 * overlay's upper and work directories, so its size is the guest's disk size), and the OCI bundle
 * whose {@code rootfs} is the overlay of the template and that disk.
 */
record GuestLayout(Path dir) {
    Path spec() { return dir.resolve("spec.json"); }

    Path diskImage() { return dir.resolve("disk.img"); }

    /** Where the disk image is mounted while the guest runs. */
    Path diskMount() { return dir.resolve("disk"); }

    Path upperDir() { return diskMount().resolve("upper"); }

    /** The guest's first-boot settings file (SettingsFile), bound read-only into the container. */
    Path firstBootDir() { return dir.resolve("first-boot"); }

    /** What a new disk image is made from (an empty upper layer); only while it is created. */
    Path newDiskContents() { return dir.resolve("new-disk"); }

    Path workDir() { return diskMount().resolve("work"); }

    /** Present while the guest is in rescue ({@link OciRescue}): every start runs the rescue system. */
    Path rescueMark() { return dir.resolve("rescue.properties"); }

    /** The rescue system's first-boot settings: the guest's hostname and network, the one-time root password. */
    Path rescueFirstBootDir() { return dir.resolve("rescue-first-boot"); }

    /** A tmpfs mounted while the rescue system runs, holding its overlay's upper and work directories. */
    Path rescueRoot() { return dir.resolve("rescue-root"); }

    Path bundle() { return dir.resolve("bundle"); }

    Path config() { return bundle().resolve("config.json"); }

    Path rootfs() { return bundle().resolve("rootfs"); }
}
