package dev.slice.driver.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The one way a guest's disk file is copied whole (snapshots, backups): {@code cp --reflink=auto --sparse=always} to a
 * partial file beside the target, renamed over it at the end, so a copy cut short never passes for a disk.
 */
public final class DiskFileCopy {
    /** A plan's whole disk, written full, at a slow disk's 100 MB/s: 64 GiB in about 11 minutes. */
    static final Duration COPY_TIMEOUT = Duration.ofMinutes(15);

    private DiskFileCopy() {}

    public static void copy(ProcessRunner processes, Path from, Path to) {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.deleteIfExists(partial);
            processes.runChecked(HostCommand.of("cp", "--reflink=auto", "--sparse=always", from.toString(), partial.toString())
                    .withTimeout(COPY_TIMEOUT));
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
