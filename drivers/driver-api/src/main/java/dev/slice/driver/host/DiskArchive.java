package dev.slice.driver.host;

import dev.slice.driver.DriverException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A guest's disk file as a backup archive: GNU tar with {@code --sparse}, which finds the holes with SEEK_HOLE and
 * stores only the blocks the guest wrote, so a 10 GiB disk image with 80 MB in it makes an 80 MB archive that hashes,
 * copies and travels to another store as 80 MB. Extracted sparse again. Both go through a partial file renamed at the
 * end, so a write or restore cut short never passes for an archive or a disk.
 */
public final class DiskArchive {
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final String MEMBER = "disk";

    private DiskArchive() {}

    /** Writes {@code disk} to {@code archive} (replacing it). */
    public static void write(ProcessRunner processes, Path disk, Path archive) {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        try {
            Files.createDirectories(archive.toAbsolutePath().getParent());
            Files.deleteIfExists(partial);
            processes.runChecked(HostCommand.of("tar", "--create", "--sparse", "--file", partial.toString(),
                    "--directory", disk.toAbsolutePath().getParent().toString(),
                    "--transform", "s|.*|" + MEMBER + "|", disk.getFileName().toString()).withTimeout(TIMEOUT));
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + disk + " to the archive " + archive, e);
        }
    }

    /** Replaces {@code disk} with the archive's disk. */
    public static void extract(ProcessRunner processes, Path archive, Path disk) {
        if (!Files.isRegularFile(archive)) throw new DriverException("there is no backup archive at " + archive);
        Path scratch = disk.resolveSibling(disk.getFileName() + ".restoring");
        try {
            deleteTree(scratch);
            Files.createDirectories(scratch);
            processes.runChecked(HostCommand.of("tar", "--extract", "--sparse", "--no-same-owner", "--file", archive.toString(),
                    "--directory", scratch.toString()).withTimeout(TIMEOUT));
            Path extracted = scratch.resolve(MEMBER);
            if (!Files.isRegularFile(extracted, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new DriverException("the archive " + archive + " holds no disk");
            }
            Files.move(extracted, disk, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + disk + " from the archive " + archive, e);
        } finally {
            try {
                deleteTree(scratch);
            } catch (IOException ignored) {
                // left for the next restore, which clears it first
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
