package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Rescue;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Rescue for UML guests: the kernel boots a fresh copy-on-write file ({@code own/rescue.cow}) over the rescue template's
 * image as ubd0, a rescue settings disk as ubd1 (the template's slice-firstboot reads /dev/ubdb, so it must stay there),
 * and the guest's own disk (its COW over its base) as ubd2, {@code /dev/ubdc} inside: the templates' fstab has no disk
 * lines and no udev runs, so nothing mounts it. The rescue settings are the guest's own (read from its settings disk
 * with debugfs: hostname and network) with the rescue spec's root password hash and keys.
 *
 * <p>{@code rescue.properties} beside the guest record is the mark ({@link RescueRecord}); it is written last on enter
 * and removed first on leave, so a crash in between leaves either the old boot or a stopped guest that a retry finishes.
 */
final class UmlRescue implements Rescue {
    /** The size deploy/uml/build.sh packs ahead: the rescue root is packed by nobody at enter time. */
    static final long RESCUE_DISK_MIB = 2048;
    private static final RescueDisk DISK = new RescueDisk("/dev/ubdc", true, "/");

    private final UmlDriver driver;
    private final TemplateImages images;
    private final SettingsDisk settingsDisk;
    private final ProcessRunner processes;
    private final ConcurrentMap<GuestId, Object> locks = new ConcurrentHashMap<>();

    UmlRescue(UmlDriver driver, TemplateImages images, SettingsDisk settingsDisk, ProcessRunner processes) {
        this.driver = driver;
        this.images = images;
        this.settingsDisk = settingsDisk;
        this.processes = processes;
    }

    @Override
    public void enter(GuestId id, RescueSpec spec, Duration shutdown) {
        synchronized (lock(id)) {
            GuestDirectory guest = driver.guest(id);
            GuestRecord record = record(guest);
            String hash = spec.fingerprint();
            var current = RescueRecord.read(guest.rescueRecord());
            if (current.isPresent()) {
                if (!current.get().specHash().equals(hash)) {
                    throw new DriverException("UML guest " + id + " is in rescue with another rescue system already;"
                            + " leave rescue first");
                }
                if (driver.state(id) != GuestState.RUNNING) driver.start(id);
                return;
            }
            if (!images.exists(spec.template())) {
                throw new DriverException("rescue template '" + spec.template() + "' has no UML image on this host;"
                        + " deploy/uml/build.sh " + spec.template() + " builds it");
            }
            Path base = images.baseImage(spec.template(), RESCUE_DISK_MIB);
            FirstBootSettings own = ownSettings(guest);
            FirstBootSettings rescue = new FirstBootSettings(own.hostname(), spec.root().rootPasswordHash(),
                    spec.root().sshAuthorizedKeys(), own.network());
            driver.stop(id, StopMode.graceful(shutdown));
            try {
                Files.deleteIfExists(guest.rescueCow()); // left by a leave cut short: the rescue root starts fresh
                settingsDisk.write(rescue, guest.rescueSettingsDisk());
                Files.setAttribute(guest.rescueSettingsDisk(), "unix:uid", Math.toIntExact(record.uid()));
                Files.setPosixFilePermissions(guest.rescueSettingsDisk(), PosixFilePermissions.fromString("r--------"));
            } catch (IOException e) {
                throw new UncheckedIOException("could not prepare the rescue system of UML guest " + id, e);
            }
            new RescueRecord(spec.template(), base, hash).write(guest.rescueRecord());
            driver.start(id);
        }
    }

    @Override
    public void leave(GuestId id, Duration shutdown) {
        synchronized (lock(id)) {
            GuestDirectory guest = driver.guest(id);
            record(guest);
            if (!Files.isRegularFile(guest.rescueRecord())) return;
            driver.stop(id, StopMode.graceful(shutdown));
            try {
                Files.delete(guest.rescueRecord());
                Files.deleteIfExists(guest.rescueCow());
                Files.deleteIfExists(guest.rescueSettingsDisk());
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the rescue system of UML guest " + id, e);
            }
            driver.start(id);
        }
    }

    @Override
    public boolean inRescue(GuestId id) {
        return Files.isRegularFile(driver.guest(id).rescueRecord());
    }

    @Override
    public RescueDisk disk() { return DISK; }

    /** The guest's hostname and network as its own first boot got them, read from its settings disk without mounting it. */
    private FirstBootSettings ownSettings(GuestDirectory guest) {
        ProcessResult result = processes.run(HostCommand.of("debugfs", "-R", "cat /" + SettingsFile.NAME,
                guest.settingsDisk().toString()));
        if (!result.succeeded() || result.stdout().isBlank()) {
            throw new DriverException("cannot read the settings of UML guest " + guest.id() + " from "
                    + guest.settingsDisk() + ": " + result.stderr().strip());
        }
        return SettingsFile.read(result.stdout());
    }

    private static GuestRecord record(GuestDirectory guest) {
        return GuestRecord.read(guest.record()).orElseThrow(() -> new GuestNotFoundException(guest.id()));
    }

    private Object lock(GuestId id) {
        return locks.computeIfAbsent(id, any -> new Object());
    }
}
