package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Rescue for containers: the same container id runs the rescue template under a fresh upper layer in a tmpfs
 * ({@link GuestDisk#mountRescue}), with the guest's own settings but the one-time root password, and the guest's disk
 * image on a loop device exposed as {@value #DEVICE} (allowed in the device cgroup, read and write, not mounted).
 *
 * <p>What a container cannot do: mount it. Mounting needs CAP_SYS_ADMIN, which no customer container gets (it would
 * let root in it remount /proc and /sys and reach the host); in a user namespace ext4 cannot be mounted at all. So the
 * rescue system reads and repairs the disk with e2fsprogs on the raw device (e2fsck, debugfs -w, dumpe2fs), and the
 * disk holds the guest's writable layer only ({@code /upper}), not a whole root file system. The rescue root lives in
 * memory: it starts afresh at every start in rescue. Raw access lets the rescue system write any metadata, so a leave
 * runs e2fsck over the disk before the host mounts it again ({@link GuestDisk#checkAfterRescue}).
 */
final class OciRescue implements Rescue {
    static final String DEVICE = "/dev/server-disk";
    private static final RescueDisk DISK = new RescueDisk(DEVICE, false, "/upper");

    /** The mark's contents: which template the rescue system is made of, and which spec it was entered with. */
    record Mark(String template, String specHash) {}

    private final OciPaths paths;
    private final OciDriver driver;
    private final GuestDisk disk;

    OciRescue(OciPaths paths, OciDriver driver, GuestDisk disk) {
        this.paths = paths;
        this.driver = driver;
        this.disk = disk;
    }

    @Override
    public void enter(GuestId id, RescueSpec spec, Duration shutdown) {
        driver.locked(id, () -> {
            GuestSpec own = driver.storedSpec(id);
            GuestLayout layout = paths.guest(id);
            String hash = spec.fingerprint();
            Optional<Mark> current = mark(layout);
            if (current.isPresent()) {
                if (!current.get().specHash().equals(hash)) {
                    throw new DriverException("container " + id + " is in rescue with another rescue system already;"
                            + " leave rescue first");
                }
                if (driver.state(id) != GuestState.RUNNING) driver.start(id);
                return null;
            }
            if (!Files.isDirectory(paths.templateRootfs(spec.template()).resolve("etc"))) {
                throw new DriverException("rescue template '" + spec.template() + "' is not available for containers on"
                        + " this host; build it with deploy/images/" + spec.template() + "/build.sh");
            }
            FirstBootSettings ownSettings = FirstBootSettings.of(own);
            String settings = SettingsFile.write(new FirstBootSettings(ownSettings.hostname(), spec.root().rootPasswordHash(),
                    spec.root().sshAuthorizedKeys(), ownSettings.network()));
            driver.stop(id, StopMode.graceful(shutdown));
            try {
                deleteTree(layout.rescueFirstBootDir());
                Files.createDirectory(layout.rescueFirstBootDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path file = layout.rescueFirstBootDir().resolve(SettingsFile.NAME);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, settings);
                writeMark(layout, new Mark(spec.template(), hash));
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the rescue system of container " + id, e);
            }
            driver.start(id);
            return null;
        });
    }

    @Override
    public void leave(GuestId id, Duration shutdown) {
        driver.locked(id, () -> {
            driver.storedSpec(id); // names an absent guest
            GuestLayout layout = paths.guest(id);
            if (!Files.isRegularFile(layout.rescueMark())) return null;
            driver.stop(id, StopMode.graceful(shutdown)); // unmounts the rescue root, detaches the disk's loop
            // Still in rescue if this fails: the guest's own system never starts on a disk e2fsck could not repair.
            disk.checkAfterRescue(layout);
            try {
                Files.delete(layout.rescueMark());
                deleteTree(layout.rescueFirstBootDir());
                if (!Mounts.isMounted(layout.rescueRoot())) deleteTree(layout.rescueRoot());
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the rescue system of container " + id, e);
            }
            driver.start(id);
            return null;
        });
    }

    @Override
    public boolean inRescue(GuestId id) {
        return Files.isRegularFile(paths.guest(id).rescueMark());
    }

    @Override
    public RescueDisk disk() { return DISK; }

    /** The rescue system the guest's next start runs, if it is in rescue. */
    static Optional<Mark> mark(GuestLayout layout) {
        if (!Files.isRegularFile(layout.rescueMark())) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(layout.rescueMark())) {
            p.load(in);
            return Optional.of(new Mark(p.getProperty("template"), p.getProperty("specHash")));
        } catch (IOException e) {
            throw new DriverException("the rescue mark " + layout.rescueMark() + " is unreadable: " + e.getMessage()
                    + "; remove it to start the guest's own system", e);
        }
    }

    /** Written last on enter, to a temporary file renamed into place: a guest is in rescue exactly when it is there. */
    private static void writeMark(GuestLayout layout, Mark mark) throws IOException {
        Properties p = new Properties();
        p.setProperty("template", mark.template());
        p.setProperty("specHash", mark.specHash());
        Path tmp = layout.rescueMark().resolveSibling(layout.rescueMark().getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            p.store(out, "Slice container in rescue");
        }
        Files.move(tmp, layout.rescueMark(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path path : tree.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }
}
