package dev.slice.driver.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds host programs by name. Slice may run with a PATH that lacks the sbin directories where
 * Debian puts runc, ip and mkfs.ext4, so those are searched too.
 */
final class HostTools {
    private static final List<String> SYSTEM_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private HostTools() {}

    static Optional<Path> find(String name) {
        if (name.contains("/")) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        Set<String> dirs = new LinkedHashSet<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) dirs.addAll(List.of(pathVariable.split(":")));
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The absolute path of a program, or its bare name so that running it fails with a clear message. */
    static String path(String name) {
        return find(name).map(Path::toString).orElse(name);
    }

    /** The names of those programs that are not installed. */
    static List<String> missing(List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (find(name).isEmpty()) missing.add(name);
        }
        return missing;
    }
}
