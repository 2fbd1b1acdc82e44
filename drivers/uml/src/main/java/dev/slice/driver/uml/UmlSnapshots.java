package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.host.DiskSnapshotFiles;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Snapshots of a stopped UML guest: copies of its copy-on-write file {@code own/disk.cow} (the template's base image
 * below it is never rewritten, so the COW alone is the guest's disk), kept in {@code snapshots/} of the guest's
 * directory ({@link DiskSnapshotFiles}). That directory is root's and outside the jail, and a destroy removes it.
 *
 * <p>The COW lives where the guest's kernel may write, so it is not trusted: a snapshot is taken only of a regular
 * file (not a link: root's {@code cp} would follow it to any host file) with one name, owned by the guest's user;
 * the guest is stopped, so none of its processes can swap it meanwhile. A restored COW is given back to that user.
 */
final class UmlSnapshots implements Snapshots {
    private final UmlDriver driver;
    private final ProcessRunner processes;
    /** One snapshot operation per guest at a time in this JVM (the orchestrator runs one job per server anyway). */
    private final ConcurrentMap<GuestId, Object> locks = new ConcurrentHashMap<>();

    UmlSnapshots(UmlDriver driver, ProcessRunner processes) {
        this.driver = driver;
        this.processes = processes;
    }

    @Override
    public boolean needsStoppedGuest() { return true; }

    @Override
    public void snapshot(GuestId id, String name) {
        locked(id, () -> {
            GuestDirectory guest = driver.guest(id);
            GuestRecord record = record(guest);
            DiskSnapshotFiles files = files(guest);
            if (files.exists(name)) return null;
            requireStopped(guest, "take a snapshot of");
            if (!Files.exists(guest.cowDisk(), LinkOption.NOFOLLOW_LINKS)) {
                throw new DriverException("UML guest " + id + " has never been started: its disk is still the"
                        + " template's, with nothing to take a snapshot of; start it once first");
            }
            requireOwnDisk(guest.cowDisk(), record);
            files.take(guest.cowDisk(), name);
            return null;
        });
    }

    @Override
    public List<String> snapshots(GuestId id) {
        GuestDirectory guest = driver.guest(id);
        record(guest);
        return files(guest).names();
    }

    @Override
    public void revert(GuestId id, String name) {
        locked(id, () -> {
            GuestDirectory guest = driver.guest(id);
            GuestRecord record = record(guest);
            DiskSnapshotFiles files = files(guest);
            if (!files.exists(name)) throw new DriverException("UML guest " + id + " has no snapshot " + name);
            requireStopped(guest, "revert");
            files.restore(name, guest.cowDisk());
            giveToGuest(guest.cowDisk(), record);
            return null;
        });
    }

    @Override
    public void deleteSnapshot(GuestId id, String name) {
        locked(id, () -> {
            files(driver.guest(id)).delete(name);
            return null;
        });
    }

    /** Beside the guest's record, not in {@code own/}: the guest's kernel never sees or touches its snapshots. */
    static Path directory(GuestDirectory guest) { return guest.dir().resolve("snapshots"); }

    private DiskSnapshotFiles files(GuestDirectory guest) {
        return new DiskSnapshotFiles(directory(guest), processes);
    }

    private static GuestRecord record(GuestDirectory guest) {
        return GuestRecord.read(guest.record()).orElseThrow(() -> new GuestNotFoundException(guest.id()));
    }

    private static void requireStopped(GuestDirectory guest, String action) {
        if (GuestProcess.find(guest).isPresent()) {
            throw new DriverException("cannot " + action + " UML guest " + guest.id() + " while it runs; stop it first");
        }
    }

    /** The COW as the guest's kernel made it: a plain file of the guest's user, not a link to a host file. */
    private static void requireOwnDisk(Path cow, GuestRecord record) {
        try {
            boolean regular = Files.isRegularFile(cow, LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) Files.getAttribute(cow, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int links = (Integer) Files.getAttribute(cow, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            if (!regular || owner != record.uid() || links != 1) {
                throw new DriverException("the disk " + cow + " of UML guest " + record.id() + " is not a plain file of"
                        + " the guest's user (regular " + regular + ", owner " + owner + ", links " + links
                        + "); no snapshot taken");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + cow, e);
        }
    }

    /** cp ran as root: the restored COW goes back to the guest's user, who alone may read and write it. */
    private static void giveToGuest(Path cow, GuestRecord record) {
        try {
            Files.setAttribute(cow, "unix:uid", Math.toIntExact(record.uid()), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(cow, "unix:gid", Math.toIntExact(record.uid()), LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(cow, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give the restored disk " + cow + " to the guest's user", e);
        }
    }

    private <T> T locked(GuestId id, Supplier<T> action) {
        synchronized (locks.computeIfAbsent(id, any -> new Object())) {
            return action.get();
        }
    }
}
