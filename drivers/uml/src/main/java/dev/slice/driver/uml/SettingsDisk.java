package dev.slice.driver.uml;

import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The guest's settings as a tiny ext4 disk (ubd1, {@code /dev/ubdb} in the guest), applied by the
 * template's slice-firstboot unit. A separate disk keeps the shared template image and the guest's
 * copy-on-write layer untouched by the host: nothing on the host ever writes into a guest filesystem.
 */
final class SettingsDisk {
    private final ProcessRunner processes;

    SettingsDisk(ProcessRunner processes) {
        this.processes = processes;
    }

    /** The files on the disk, by name; {@code id} changes whenever any setting changes. */
    static Map<String, String> files(GuestSpec spec) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("hostname", spec.hostname() + "\n");
        if (spec.credentials().rootPasswordHash() != null) {
            files.put("root-password-hash", spec.credentials().rootPasswordHash() + "\n");
        }
        StringBuilder keys = new StringBuilder();
        spec.credentials().sshAuthorizedKeys().forEach(key -> keys.append(key).append('\n'));
        files.put("authorized_keys", keys.toString());
        if (spec.network() != null) {
            files.put("interfaces", interfaces(spec.network()));
            StringBuilder resolv = new StringBuilder();
            spec.network().dns().forEach(server -> resolv.append("nameserver ").append(server).append('\n'));
            files.put("resolv.conf", resolv.toString());
        }
        files.put("id", hash(spec) + "\n");
        return files;
    }

    private static String interfaces(NetworkConfig network) {
        return """
                # Written by Slice on first boot from the server's settings.
                auto lo
                iface lo inet loopback

                auto eth0
                iface eth0 inet static
                    address %s
                    gateway %s
                """.formatted(network.address(), network.gateway());
    }

    /** Identifies the spec: the same spec always gives the same hash. */
    static String hash(GuestSpec spec) {
        String canonical = String.join("\n", spec.id().value(), spec.hostname(), spec.template(),
                spec.resources().toString(), String.valueOf(spec.network()), String.valueOf(spec.credentials()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the disk image to {@code image}, replacing what was there. */
    void write(GuestSpec spec, Path image) {
        Path staging = image.resolveSibling(image.getFileName() + ".d");
        try {
            GuestDirectory.deleteTree(staging);
            Files.createDirectories(staging);
            for (Map.Entry<String, String> file : files(spec).entrySet()) {
                Files.writeString(staging.resolve(file.getKey()), file.getValue());
            }
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
