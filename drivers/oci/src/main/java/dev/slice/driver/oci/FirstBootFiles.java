package dev.slice.driver.oci;

import dev.slice.driver.Credentials;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.NetworkConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a new guest's first-boot settings into its root file system before it ever runs: hostname,
 * hosts, root's password hash, root's SSH keys, and the network configuration (which the host also
 * applies to the guest's namespace, so the guest's own files and reality agree).
 * Runs only on a fresh upper layer, where every path still comes from the trusted template.
 */
final class FirstBootFiles {
    private FirstBootFiles() {}

    static void write(Path root, GuestSpec spec) {
        try {
            String shortName = spec.hostname().split("\\.")[0];
            writeFile(root, "etc/hostname", spec.hostname() + "\n", "rw-r--r--");
            writeFile(root, "etc/hosts", hosts(spec, shortName), "rw-r--r--");
            writeFile(root, "etc/shadow", shadow(Files.readAllLines(root.resolve("etc/shadow")),
                    spec.credentials()), "rw-r-----");
            List<String> keys = spec.credentials().sshAuthorizedKeys();
            if (!keys.isEmpty()) {
                Path ssh = root.resolve("root/.ssh");
                Files.createDirectories(ssh);
                Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
                writeFile(root, "root/.ssh/authorized_keys", String.join("\n", keys) + "\n", "rw-------");
            }
            if (spec.network() != null) {
                writeFile(root, "etc/network/interfaces", interfaces(spec.network()), "rw-r--r--");
                if (!spec.network().dns().isEmpty()) writeFile(root, "etc/resolv.conf", resolvConf(spec.network()), "rw-r--r--");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the first-boot settings of " + spec.id(), e);
        }
    }

    /** Root's entry gets the given hash; without one, root's password stays locked (SSH keys still work). */
    static String shadow(List<String> lines, Credentials credentials) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("root:") && credentials.rootPasswordHash() != null) {
                String[] fields = line.split(":", -1);
                fields[1] = credentials.rootPasswordHash();
                out.add(String.join(":", fields));
            } else {
                out.add(line);
            }
        }
        return String.join("\n", out) + "\n";
    }

    static String hosts(GuestSpec spec, String shortName) {
        String names = spec.hostname().equals(shortName) ? shortName : spec.hostname() + " " + shortName;
        StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (spec.network() != null) {
            hosts.append(spec.network().ip()).append('\t').append(names).append('\n');
        } else {
            hosts.append("127.0.1.1\t").append(names).append('\n');
        }
        return hosts.toString();
    }

    static String interfaces(NetworkConfig network) {
        return """
                # Written by Slice at first boot; the host configures eth0 the same way before the guest starts.
                auto lo
                iface lo inet loopback

                auto eth0
                iface eth0 inet static
                    address %s
                    gateway %s
                """.formatted(network.address(), network.gateway());
    }

    static String resolvConf(NetworkConfig network) {
        StringBuilder out = new StringBuilder();
        for (String server : network.dns()) out.append("nameserver ").append(server).append('\n');
        return out.toString();
    }

    private static void writeFile(Path root, String relative, String content, String permissions) throws IOException {
        Path file = root.resolve(relative);
        if (Files.isSymbolicLink(file)) Files.delete(file); // e.g. a template's resolv.conf link: the guest gets a file
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " is not a regular file");
    }
}
