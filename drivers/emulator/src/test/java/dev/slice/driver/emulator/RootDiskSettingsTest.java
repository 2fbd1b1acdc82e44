package dev.slice.driver.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.emulator.devices.CowOverlay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one settings file lands at /etc/slice/settings in the overlay's file system, and the base image stays as it was. */
class RootDiskSettingsTest {
    @TempDir Path dir;
    private final ProcessRunner processes = new ProcessRunner();

    private final GuestSpec spec = new GuestSpec(GuestId.of("rds-1"), "web1.example.com", Resources.of(2, 256, 64),
            "debian-13", new NetworkConfig("10.98.0.10/24", "10.98.0.1", "52:54:00:98:00:10", "br0", List.of("10.98.0.53")),
            new Credentials("$6$salt$hash0123", List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 key@host")));

    @Test
    void theFilesReachTheGuestsRootFileSystemThroughTheOverlayOnly() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/etc/network/interfaces.d"));
        Files.writeString(tree.getParent().resolve("hostname"), "debian\n");
        Path base = dir.resolve("base.img");
        processes.runChecked(HostCommand.of("mkfs.ext4", "-q", "-F", "-L", "slice-root", "-d", dir.resolve("tree").toString(),
                base.toString(), "32M"));
        String baseSum = sha256(base);
        Path overlay = dir.resolve("disk.cow");
        CowOverlay.create(overlay, base, 64L << 20);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));

        new RootDiskSettings(processes).write(spec, base, overlay, scratch);

        assertThat(sha256(base)).as("the template image is never written").isEqualTo(baseSum);
        assertThat(scratch).isEmptyDirectory();
        try (CowOverlay disk = CowOverlay.open(overlay)) {
            assertThat(disk.allocatedClusters()).as("a few metadata and data blocks, not a copy").isBetween(1L, 24L);
        }
        Path seen = dir.resolve("seen.img");
        materialise(overlay, seen, 32L << 20);
        assertThat(cat(seen)).as("the one settings file of every backend, read by deploy/guest/slice-firstboot")
                .isEqualTo(SettingsFile.write(FirstBootSettings.of(spec)));
        assertThat(SettingsFile.read(cat(seen))).isEqualTo(FirstBootSettings.of(spec));
        assertThat(processes.runChecked(HostCommand.of("debugfs", "-R", "stat " + RootDiskSettings.FILE, seen.toString())).stdout())
                .as("root's password hash: root only").contains("Mode:  0600");
        assertThat(processes.run(HostCommand.of("e2fsck", "-fn", seen.toString())).exitCode())
                .as("the file system stays consistent").isZero();
    }

    private String cat(Path image) {
        return processes.runChecked(HostCommand.of("debugfs", "-R", "cat " + RootDiskSettings.FILE, image.toString())).stdout();
    }

    /** What the guest reads: the first {@code bytes} of the overlay as a raw image. */
    private static void materialise(Path overlay, Path raw, long bytes) throws Exception {
        byte[] buffer = new byte[1 << 20];
        try (CowOverlay disk = CowOverlay.open(overlay); var out = Files.newOutputStream(raw)) {
            for (long at = 0; at < bytes; at += buffer.length) {
                disk.read(at, buffer, 0, buffer.length);
                out.write(buffer);
            }
        }
    }

    private String sha256(Path file) {
        return processes.runChecked(HostCommand.of("sha256sum", file.toString())).stdout().split(" ")[0];
    }
}
