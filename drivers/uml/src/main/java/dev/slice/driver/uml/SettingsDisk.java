package dev.slice.driver.uml;

import dev.slice.driver.GuestSpec;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The guest's first-boot settings ({@link SettingsFile}) on a tiny ext4 disk (ubd1, {@code /dev/ubdb} in
 * the guest), applied by the template's slice-firstboot unit (deploy/guest/slice-firstboot). A separate
 * disk keeps the shared template image and the guest's copy-on-write layer untouched by the host:
 * nothing on the host ever writes into a guest filesystem.
 */
final class SettingsDisk {
    private final ProcessRunner processes;

    SettingsDisk(ProcessRunner processes) {
        this.processes = processes;
    }

    /** Writes the disk image to {@code image}, replacing what was there. */
    void write(GuestSpec spec, Path image) {
        write(FirstBootSettings.of(spec), image);
    }

    /** Writes a disk of these settings (a rescue system's) to {@code image}, replacing what was there. */
    void write(FirstBootSettings firstBoot, Path image) {
        String settings = SettingsFile.write(firstBoot);
        Path staging = image.resolveSibling(image.getFileName() + ".d");
        try {
            GuestDirectory.deleteTree(staging);
            Files.createDirectories(staging);
            Files.writeString(staging.resolve(SettingsFile.NAME), settings);
            Files.deleteIfExists(image);
            processes.runChecked(HostCommand.of("mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-L", "slice-settings",
                    "-d", staging.toString(), image.toString(), "4M"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the settings disk " + image, e);
        } finally {
            GuestDirectory.deleteTree(staging);
        }
    }
}
