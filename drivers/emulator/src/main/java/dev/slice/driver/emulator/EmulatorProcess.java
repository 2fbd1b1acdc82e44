package dev.slice.driver.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A guest's running emulator process, found from files alone so that any driver instance adopts it: the pid
 * the emulator wrote, trusted only while that process still has the start time the driver recorded and a
 * command line naming this guest's directory (a pid reused by another process after a host crash is not
 * the guest).
 */
record EmulatorProcess(long pid, long startTicks, GuestDirectory guest) {

    static Optional<EmulatorProcess> find(GuestDirectory guest) {
        Optional<Long> pid = readPid(guest.pidFile());
        if (pid.isEmpty()) return Optional.empty();
        Optional<Long> start = startTicks(pid.get());
        if (start.isEmpty() || !commandLine(pid.get()).contains(guest.pidFile().toString())) return Optional.empty();
        Optional<String> recorded = readString(guest.processFile());
        String now = pid.get() + " " + start.get();
        if (recorded.isPresent() && !recorded.get().equals(now)) return Optional.empty();
        if (recorded.isEmpty()) record(guest.processFile(), now);
        return Optional.of(new EmulatorProcess(pid.get(), start.get(), guest));
    }

    /**
     * Alive until every thread of the process has exited. SIGKILL ends the thread group's leader first: /proc then
     * shows it as a zombie while the other threads still run and hold the files, and so the disk overlay's lock.
     */
    boolean alive() {
        return statFields(pid).filter(f -> Long.parseLong(f[19]) == startTicks)
                .map(f -> !exited(f) || otherThreadsRun()).orElse(false);
    }

    Optional<ProcessHandle> handle() { return alive() ? ProcessHandle.of(pid) : Optional.empty(); }

    /** Field 22 of /proc/PID/stat, the start time in clock ticks since boot; empty for a gone or zombie process. */
    static Optional<Long> startTicks(long pid) {
        return statFields(pid).filter(f -> !exited(f)).map(f -> Long.parseLong(f[19]));
    }

    /** The fields of /proc/PID/stat after the command name, from the state (field 3) on. */
    private static Optional<String[]> statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            Long.parseLong(fields[19]);
            return Optional.of(fields);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean exited(String[] statFields) {
        return statFields[0].equals("Z") || statFields[0].equals("X");
    }

    /** The status file's thread count includes a zombie leader until it is reaped, so more than one means others run. */
    private boolean otherThreadsRun() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("Threads:"))
                    .anyMatch(line -> Integer.parseInt(line.substring("Threads:".length()).strip()) > 1);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Long> readPid(Path file) {
        return readString(file).flatMap(text -> {
            try {
                return Optional.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> readString(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void record(Path file, String text) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Only a cache of what /proc says; the next find writes it again.
        }
    }

    /** Proportional set size of the emulator process (its JVM, heap and the guest RAM inside it), in bytes. */
    long proportionalSetBytes() { return procField("smaps_rollup", "Pss:") * 1024; }

    long storageReadBytes() { return procField("io", "read_bytes:"); }

    long storageWriteBytes() { return procField("io", "write_bytes:"); }

    private long procField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
                if (line.startsWith(name)) return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // Ended while we read.
        }
        return -1;
    }
}
