package dev.slice.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a data directory's {@code postmaster.pid} says: the postmaster's pid (line 1), its data directory (2) and
 * port (4). A server writes it in steps while it starts, so any line may be missing.
 */
record PostmasterPidFile(Path file, OptionalLong pid, String dataDirectory, OptionalInt port) {
    static final String NAME = "postmaster.pid";

    static Optional<PostmasterPidFile> read(Path dataDirectory) {
        Path file = dataDirectory.resolve(NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + file + ": " + e.getMessage(), e);
        }
        return Optional.of(new PostmasterPidFile(file,
                line(lines, 0).map(PostmasterPidFile::parseLong).orElse(OptionalLong.empty()),
                line(lines, 1).orElse(""),
                line(lines, 3).map(PostmasterPidFile::parseInt).orElse(OptionalInt.empty())));
    }

    private static Optional<String> line(List<String> lines, int index) {
        return index < lines.size() ? Optional.of(lines.get(index).strip()) : Optional.empty();
    }

    private static OptionalLong parseLong(String text) {
        try {
            long value = Long.parseLong(text);
            return value > 0 ? OptionalLong.of(value) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalInt parseInt(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The postmaster's pid, if the file names one. */
    Optional<Long> postmaster() {
        return pid.isPresent() ? Optional.of(pid.getAsLong()) : Optional.empty();
    }

    @Override
    public String toString() {
        return file + " (pid " + (pid.isPresent() ? pid.getAsLong() : "?") + ", port "
                + (port.isPresent() ? port.getAsInt() : "?") + ")";
    }
}
