package dev.slice.driver.uml;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** Identifies the spec: the same spec always gives the same hash. */
    static String specHash(GuestSpec spec) {
        String canonical = String.join("\n", spec.id().value(), spec.hostname(), spec.template(),
                spec.resources().toString(), String.valueOf(spec.network()), String.valueOf(spec.credentials()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

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
