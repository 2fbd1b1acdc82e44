package dev.slice.db;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The live PostgreSQL processes of one data directory, told apart from every other process through {@code /proc}:
 * a server process is named {@code postgres} and runs in its data directory (the postmaster changes into it at
 * start, and its children inherit that). A pid alone proves nothing: it may have been reused since it was written.
 */
final class DataDirectoryProcesses {
    private static final Path PROC = Path.of("/proc");

    private final Path dataDirectory;

    DataDirectoryProcesses(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /** Whether {@code pid} is, right now, a running PostgreSQL process of this data directory. */
    boolean isServerProcess(long pid) {
        Path process = PROC.resolve(Long.toString(pid));
        try {
            if (!"postgres".equals(Files.readString(process.resolve("comm")).strip())) return false;
            if (isZombie(Files.readString(process.resolve("stat")))) return false;
            // Same file, not same name: symbolic links, bind mounts and other mount namespaces all compare equal.
            return Files.isSameFile(process.resolve("cwd"), dataDirectory);
        } catch (AccessDeniedException e) {
            return false; // another user's process: not one Slice started, and not one it could signal
        } catch (IOException e) {
            return false; // exited meanwhile
        }
    }

    /** Every running PostgreSQL process of this data directory. */
    List<Long> all() {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (isServerProcess(pid)) found.add(pid);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not list the processes in " + PROC + ": " + e.getMessage(), e);
        }
        return found;
    }

    /** Whether anything at all (a zombie too) holds {@code pid}. */
    static boolean exists(long pid) {
        return Files.exists(PROC.resolve(Long.toString(pid)));
    }

    static OptionalLong parentOf(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = afterName(stat).split(" ");
            return OptionalLong.of(Long.parseLong(fields[1]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isZombie(String stat) {
        char state = afterName(stat).charAt(0);
        return state == 'Z' || state == 'X';
    }

    /** {@code /proc/PID/stat} is "pid (name) state ppid ...", and the name may hold spaces and parentheses. */
    private static String afterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2);
    }

    Path dataDirectory() {
        return dataDirectory;
    }
}
