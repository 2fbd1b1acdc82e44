package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.firstboot.FirstBootSettings;
import dev.slice.driver.firstboot.SettingsFile;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.emulator.devices.CowOverlay;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First-boot settings (hostname, root password hash, SSH keys, network) for a template whose root file system is
 * its disk (debian-13): the one settings file of every backend ({@link SettingsFile}), at {@value #FILE} on the
 * root disk, which the template's boot applies with the shared {@code deploy/guest/slice-firstboot --dir /etc/slice}.
 * The machine has one virtio disk, so it cannot be a second disk as on UML and QEMU; it goes into the guest's fresh
 * copy-on-write layer before its first boot: debugfs (e2fsprogs) writes it into a sparse copy of the template's
 * metadata ({@code e2image -r}), and the 4 KiB blocks that changed are written into the overlay. Only the trusted
 * template's file system is ever opened this way, never one a guest has written.
 */
final class RootDiskSettings {
    static final String DIR = "/etc/slice";
    static final String FILE = DIR + "/" + SettingsFile.NAME;
    private static final int BLOCK = 4096;
    private static final int CHUNK = 64 << 20;
    private static final Duration COPY = Duration.ofMinutes(3);

    private final ProcessRunner processes;

    RootDiskSettings(ProcessRunner processes) {
        this.processes = processes;
    }

    /** Writes the settings into {@code overlay} (fresh, over {@code base}), using {@code scratch} as work space. */
    void write(GuestSpec spec, Path base, Path overlay, Path scratch) {
        Path pristine = scratch.resolve("settings-base.img");
        Path image = scratch.resolve("settings-scratch.img");
        Path dir = scratch.resolve("settings");
        try {
            Files.createDirectories(dir);
            Path local = dir.resolve(SettingsFile.NAME);
            Files.writeString(local, SettingsFile.write(FirstBootSettings.of(spec)));
            // debugfs gives the new inode the host file's permissions: root's password hash is for root's eyes only.
            Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-------"));
            String commands = "mkdir " + DIR + "\nwrite " + local + " " + FILE + "\n";
            // The template's metadata only (e2image -r: superblock, bitmaps, inode tables, directories; file data
            // left as holes): all debugfs reads to add files, about 12 MB of a 2 GiB image with 427 MB in use.
            processes.runChecked(HostCommand.of("e2image", "-r", base.toString(), pristine.toString()).withTimeout(COPY));
            processes.runChecked(HostCommand.of("cp", "--sparse=always", pristine.toString(), image.toString()).withTimeout(COPY));
            processes.runChecked(HostCommand.of("debugfs", "-w", "-f", "/dev/stdin", image.toString())
                    .withStdin(commands.getBytes(StandardCharsets.UTF_8)));
            // debugfs reports a failed command on stderr and still exits 0: check that the file is there.
            String listing = processes.runChecked(HostCommand.of("debugfs", "-R", "ls -p " + DIR, image.toString())).stdout();
            if (!listing.contains("/" + SettingsFile.NAME + "/")) {
                throw new DriverException("could not write " + FILE + " into the disk of emulator guest " + spec.id()
                        + " (debugfs listed: " + listing.strip() + ")");
            }
            copyChangedBlocks(pristine, image, dataExtents(image), overlay);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the first-boot settings of emulator guest " + spec.id(), e);
        } finally {
            GuestDirectory.deleteTree(dir);
            try {
                Files.deleteIfExists(image);
                Files.deleteIfExists(pristine);
            } catch (IOException ignored) {
                // the guest's staging directory is removed with it
            }
        }
    }

    /**
     * The byte ranges of {@code image} that hold data (not holes), from its extent map ({@code filefrag}, FIEMAP):
     * every block debugfs wrote is in one of them, so the comparison reads megabytes, not the whole image.
     */
    List<long[]> dataExtents(Path image) {
        String map = processes.runChecked(HostCommand.of("filefrag", "-e", "-b" + BLOCK, image.toString())).stdout();
        List<long[]> extents = new ArrayList<>();
        Matcher m = EXTENT.matcher(map);
        while (m.find()) extents.add(new long[] {Long.parseLong(m.group(1)) * BLOCK, (Long.parseLong(m.group(2)) + 1) * BLOCK});
        if (extents.isEmpty()) throw new DriverException("filefrag listed no data in " + image + ": " + map.strip());
        return extents;
    }

    private static final Pattern EXTENT = Pattern.compile("(?m)^\\s*\\d+:\\s*(\\d+)\\.\\.\\s*(\\d+):");

    /** Writes every 4 KiB block within {@code extents} in which {@code changed} differs from {@code base} into the overlay. */
    static long copyChangedBlocks(Path base, Path changed, List<long[]> extents, Path overlay) throws IOException {
        long blocks = 0;
        try (FileChannel before = FileChannel.open(base, StandardOpenOption.READ);
             FileChannel after = FileChannel.open(changed, StandardOpenOption.READ);
             CowOverlay disk = CowOverlay.open(overlay)) {
            if (after.size() != before.size()) throw new IOException(changed + " and " + base + " differ in size");
            byte[] block = new byte[BLOCK];
            for (long[] extent : extents) {
                for (long offset = extent[0]; offset < Math.min(extent[1], after.size()); offset += CHUNK) {
                    int length = (int) Math.min(CHUNK, Math.min(extent[1], after.size()) - offset);
                    ByteBuffer a = before.map(FileChannel.MapMode.READ_ONLY, offset, length);
                    ByteBuffer b = after.map(FileChannel.MapMode.READ_ONLY, offset, length);
                    for (int at = a.mismatch(b); at >= 0 && at < length; ) {
                        int start = at - at % BLOCK;
                        int end = Math.min(length, start + BLOCK);
                        b.get(start, block, 0, end - start);
                        disk.write(offset + start, block, 0, end - start);
                        blocks++;
                        if (end >= length) break;
                        int next = a.slice(end, length - end).mismatch(b.slice(end, length - end));
                        at = next < 0 ? -1 : end + next;
                    }
                }
            }
            disk.flush();
        }
        return blocks;
    }
}
