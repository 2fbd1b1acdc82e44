package dev.slice.driver.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads the host's mount table ({@code /proc/self/mountinfo}). */
final class Mounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One line of mountinfo: where something is mounted, its file system type and its source. */
    record Mount(Path mountPoint, String type, String source) {}

    private Mounts() {}

    static List<Mount> all() {
        try {
            return Files.readAllLines(MOUNTINFO).stream().map(Mounts::parse).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
        }
    }

    static Optional<Mount> at(Path mountPoint) {
        Path wanted = mountPoint.toAbsolutePath().normalize();
        Mount found = null;
        for (Mount mount : all()) {
            if (mount.mountPoint().equals(wanted)) found = mount; // the last one is on top
        }
        return Optional.ofNullable(found);
    }

    static boolean isMounted(Path mountPoint) {
        return at(mountPoint).isPresent();
    }

    /** Fields: id parent major:minor root mountpoint options [optional...] - fstype source superoptions. */
    static Mount parse(String line) {
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        return new Mount(Path.of(unescape(fields[4])), fields[separator + 1], unescape(fields[separator + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
