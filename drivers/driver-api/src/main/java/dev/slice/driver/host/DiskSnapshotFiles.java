package dev.slice.driver.host;

import dev.slice.driver.DriverException;
import dev.slice.driver.capability.Snapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Snapshots as copies of a guest's writable disk file in a directory of their own, for backends that take them of a
 * stopped guest (a container's disk image, a UML copy-on-write file). {@code cp --reflink=auto --sparse=always}: a
 * reflink where the host's file system has them (XFS, Btrfs), otherwise a sparse copy of the blocks the guest wrote.
 * Every copy goes to a partial file that is renamed over its target, so a copy cut short never passes for a snapshot
 * or a disk. The caller keeps the guest stopped meanwhile.
 */
public final class DiskSnapshotFiles {
    private static final String SUFFIX = ".snapshot";
    private final Path dir;
    private final ProcessRunner processes;

    /** @param dir where the snapshots of one guest live (made when the first is taken) */
    public DiskSnapshotFiles(Path dir, ProcessRunner processes) {
        this.dir = dir;
        this.processes = processes;
    }

    /** Copies {@code disk} as snapshot {@code name}; an existing snapshot of that name is kept. */
    public void take(Path disk, String name) {
        Path file = file(name);
        if (Files.exists(file)) return;
        if (!Files.exists(disk)) throw new DriverException("there is no disk to take a snapshot of at " + disk);
        copy(disk, file);
    }

    /** The snapshots' names, oldest first. */
    public List<String> names() {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .sorted(Comparator.comparing(DiskSnapshotFiles::modified).thenComparing(Path::getFileName))
                    .map(f -> f.getFileName().toString())
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the snapshots in " + dir, e);
        }
    }

    public boolean exists(String name) { return Files.exists(file(name)); }

    /** Puts snapshot {@code name} back as {@code disk} (replacing it), for the guest to start from. */
    public void restore(String name, Path disk) {
        Path file = file(name);
        if (!Files.exists(file)) throw new DriverException("there is no snapshot " + name + " in " + dir);
        copy(file, disk);
    }

    /** Deleting an absent snapshot succeeds. */
    public void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot " + name + " in " + dir, e);
        }
    }

    private void copy(Path from, Path to) {
        DiskFileCopy.copy(processes, from, to);
    }

    private Path file(String name) {
        if (!Snapshots.validName(name)) throw new IllegalArgumentException("not a valid snapshot name: " + name);
        return dir.resolve(name + SUFFIX);
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0); // deleted meanwhile: sorted first, then not listed by the next call
        }
    }
}
