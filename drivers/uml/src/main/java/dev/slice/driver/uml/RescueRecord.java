package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
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
 * That a UML guest is in rescue, and from what: kept beside its {@link GuestRecord} (root's, outside the jail), so every
 * start by any driver instance boots the rescue system until a leave removes it.
 *
 * @param baseImage the rescue template's image that the rescue root's copy-on-write file reads through to
 * @param specHash  the {@link dev.slice.driver.capability.Rescue.RescueSpec#fingerprint}, so a repeated enter can tell "same" from "different"
 */
record RescueRecord(String template, Path baseImage, String specHash) {

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("template", template);
        p.setProperty("baseImage", baseImage.toString());
        p.setProperty("specHash", specHash);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(tmp)) {
                p.store(out, "Slice UML guest in rescue");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    static Optional<RescueRecord> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            return Optional.of(new RescueRecord(p.getProperty("template"), Path.of(p.getProperty("baseImage")),
                    p.getProperty("specHash")));
        } catch (IOException | RuntimeException e) {
            throw new DriverException("UML rescue record " + file + " is unreadable (" + e.getMessage()
                    + "); remove it to boot the guest's own system", e);
        }
    }
}
