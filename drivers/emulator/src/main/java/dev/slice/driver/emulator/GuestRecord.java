package dev.slice.driver.emulator;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What the driver must remember to start a guest again, in its directory, so a new driver instance needs
 * nothing else.
 *
 * @param kernel   the riscv64 kernel the guest boots (the template's)
 * @param initrd   its initramfs, or null
 * @param append   the kernel command line
 * @param specHash identifies the spec it was created from, so a repeated create can tell "same" from "different"
 */
record GuestRecord(GuestId id, String template, Path kernel, Path initrd, String append, long memoryMiB, int vcpus,
                   long diskMiB, String specHash) {

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("id", id.value());
        p.setProperty("template", template);
        p.setProperty("kernel", kernel.toString());
        if (initrd != null) p.setProperty("initrd", initrd.toString());
        p.setProperty("append", append);
        p.setProperty("memoryMiB", Long.toString(memoryMiB));
        p.setProperty("vcpus", Integer.toString(vcpus));
        p.setProperty("diskMiB", Long.toString(diskMiB));
        p.setProperty("specHash", specHash);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            p.store(out, "Slice emulator guest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<GuestRecord> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            return Optional.of(new GuestRecord(GuestId.of(p.getProperty("id")), p.getProperty("template"),
                    Path.of(p.getProperty("kernel")), Optional.ofNullable(p.getProperty("initrd")).map(Path::of).orElse(null),
                    p.getProperty("append"), Long.parseLong(p.getProperty("memoryMiB")),
                    Integer.parseInt(p.getProperty("vcpus")), Long.parseLong(p.getProperty("diskMiB")),
                    p.getProperty("specHash")));
        } catch (IOException | RuntimeException e) {
            throw new DriverException("emulator guest record " + file + " is unreadable (" + e.getMessage()
                    + "); remove the guest's directory or restore the file", e);
        }
    }
}
