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
 * Writes a new guest's first-boot settings before it ever runs: hostname, hosts, root's password
 * hash, root's SSH keys, and the network configuration (which the host also applies to the guest's
 * namespace, so the guest's own files and reality agree).
 *
 * They go straight into the overlay's upper layer, which the disk image is then made from, without
 * mounting anything (the overlay documentation allows changing the upper layer while it is not
 * mounted). What the overlay would have done on copy-up is done here: a directory or file the
 * template has gets the template's owner, mode and modification time in the upper layer, so the
 * guest sees the same {@code /root} (0700), {@code /etc/shadow} group and so on as before.
 * Runs only on a fresh upper layer, where every path below still comes from the trusted template.
 */
final class FirstBootFiles {
    private FirstBootFiles() {}

    /**
     * @param template the template's root file system (the overlay's lower layer), read only
     * @param upper    the empty upper layer directory being prepared
     */
    static void write(Path template, Path upper, GuestSpec spec) {
        Layers root = new Layers(template, upper);
        try {
            root.copyUp(Path.of(""));
            String shortName = spec.hostname().split("\\.")[0];
            root.writeFile("etc/hostname", spec.hostname() + "\n", "rw-r--r--");
            root.writeFile("etc/hosts", hosts(spec, shortName), "rw-r--r--");
            root.writeFile("etc/shadow", shadow(root.readLines("etc/shadow"), spec.credentials()), "rw-r-----");
            List<String> keys = spec.credentials().sshAuthorizedKeys();
            if (!keys.isEmpty()) {
                root.makeDirectory("root/.ssh", "rwx------");
                root.writeFile("root/.ssh/authorized_keys", String.join("\n", keys) + "\n", "rw-------");
            }
            if (spec.network() != null) {
                root.writeFile("etc/network/interfaces", interfaces(spec.network()), "rw-r--r--");
                if (!spec.network().dns().isEmpty()) root.writeFile("etc/resolv.conf", resolvConf(spec.network()), "rw-r--r--");
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

    /** The template below and the upper layer above, addressed by paths relative to the guest's root. */
    private record Layers(Path lower, Path upper) {
        /** A file as the guest will see it: the upper layer's if written already, else the template's. */
        List<String> readLines(String relative) throws IOException {
            Path written = upper.resolve(relative);
            Path file = Files.exists(written, LinkOption.NOFOLLOW_LINKS) ? written : lower.resolve(relative);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " is not a regular file");
            return Files.readAllLines(file);
        }

        /** A regular file; one the template has keeps its owner and group (e.g. /etc/shadow's group shadow). */
        void writeFile(String relative, String content, String permissions) throws IOException {
            Path path = Path.of(relative);
            copyUpParents(path);
            Path file = upper.resolve(path);
            // A link in the upper layer would be followed; the template's link (e.g. resolv.conf) is simply hidden.
            if (Files.isSymbolicLink(file)) Files.delete(file);
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
            Path below = lower.resolve(path);
            if (Files.isRegularFile(below, LinkOption.NOFOLLOW_LINKS)) copyOwner(below, file);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " is not a regular file");
        }

        void makeDirectory(String relative, String permissions) throws IOException {
            Path path = Path.of(relative);
            copyUpParents(path);
            copyUp(path);
            Files.setPosixFilePermissions(upper.resolve(path), PosixFilePermissions.fromString(permissions));
        }

        private void copyUpParents(Path path) throws IOException {
            Path parent = path.getParent();
            for (int i = 1; parent != null && i <= parent.getNameCount(); i++) copyUp(parent.subpath(0, i));
        }

        /**
         * Makes a directory in the upper layer as the overlay's copy-up would: with the template's owner,
         * mode and time when the template has it, else root's 0755. A template path that is a link or
         * a file where a directory is wanted is refused: following it here could leave the layer.
         */
        void copyUp(Path directory) throws IOException {
            Path made = upper.resolve(directory);
            if (Files.isDirectory(made, LinkOption.NOFOLLOW_LINKS)) {
                if (!directory.toString().isEmpty()) return;
            } else {
                Files.createDirectory(made);
            }
            Path below = lower.resolve(directory);
            if (Files.isDirectory(below, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(made, Files.getPosixFilePermissions(below, LinkOption.NOFOLLOW_LINKS));
                copyOwner(below, made);
                Files.setLastModifiedTime(made, Files.getLastModifiedTime(below, LinkOption.NOFOLLOW_LINKS));
            } else if (Files.exists(below, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(below + " is not a directory in the template");
            } else {
                Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }

        /** Numeric ids: the template's groups need not have the same names on the host. */
        private static void copyOwner(Path from, Path to) throws IOException {
            Files.setAttribute(to, "unix:uid", Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(to, "unix:gid", Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
        }
    }
}
