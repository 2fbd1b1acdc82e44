package dev.slice.driver.uml;

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
 * What the driver must remember about a guest to start it again, kept in its directory so that a
 * new driver instance (after a Slice restart) needs nothing else.
 *
 * @param baseImage the template image the copy-on-write disk reads through to
 * @param uid       the host user the guest's kernel runs as ({@link GuestUsers})
 * @param bandwidthMbit the plan's rate each way on the guest's TAP, 0 for none ({@code TrafficShaper})
 * @param tap       the host TAP device of eth0, or null for a guest without network
 * @param specHash  identifies the spec it was created from, so a repeated create can tell "same" from "different"
 */
record GuestRecord(GuestId id, String template, Path baseImage, long memoryMiB, int vcpus, long diskMiB, long uid,
                   int bandwidthMbit, String tap, String mac, String bridge, String specHash) {

    void write(Path file) {
        Properties p = new Properties();
        p.setProperty("id", id.value());
        p.setProperty("template", template);
        p.setProperty("baseImage", baseImage.toString());
        p.setProperty("memoryMiB", Long.toString(memoryMiB));
        p.setProperty("vcpus", Integer.toString(vcpus));
        p.setProperty("diskMiB", Long.toString(diskMiB));
        p.setProperty("uid", Long.toString(uid));
        p.setProperty("bandwidthMbit", Integer.toString(bandwidthMbit));
        if (tap != null) {
            p.setProperty("tap", tap);
            p.setProperty("mac", mac);
            p.setProperty("bridge", bridge);
        }
        p.setProperty("specHash", specHash);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp)) {
            p.store(out, "Slice UML guest");
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
                    Path.of(p.getProperty("baseImage")), Long.parseLong(p.getProperty("memoryMiB")),
                    Integer.parseInt(p.getProperty("vcpus")), Long.parseLong(p.getProperty("diskMiB")),
                    Long.parseLong(p.getProperty("uid")), Integer.parseInt(p.getProperty("bandwidthMbit", "0")),
                    p.getProperty("tap"), p.getProperty("mac"), p.getProperty("bridge"), p.getProperty("specHash")));
        } catch (IOException | RuntimeException e) {
            throw new DriverException("UML guest record " + file + " is unreadable (" + e.getMessage()
                    + "); remove the guest's directory or restore the file", e);
        }
    }
}
