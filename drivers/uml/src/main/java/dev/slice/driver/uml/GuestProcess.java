package dev.slice.driver.uml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running guest as host processes: the UML kernel's main process (its pid file says which) and the
 * processes it forks, one per guest address space plus helpers. Found from files alone, so a new
 * driver instance adopts guests that an earlier one started.
 */
record GuestProcess(long pid, GuestDirectory guest) {

    /** The guest's running kernel, if any: the pid file's process, if it is really this guest's UML. */
    static Optional<GuestProcess> find(GuestDirectory guest) {
        try {
            if (!Files.isRegularFile(guest.pidFile())) return Optional.empty();
            String text = Files.readString(guest.pidFile()).strip();
            if (text.isEmpty()) return Optional.empty();
            long pid = Long.parseLong(text);
            return belongsTo(pid, guest) ? Optional.of(new GuestProcess(pid, guest)) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A stale pid file may name a pid that was reused, and the guest's kernel writes the file itself:
     * trust it only for a UML kernel of this guest.
     */
    private static boolean belongsTo(long pid, GuestDirectory guest) {
        List<String> argv = commandLine(pid);
        return !argv.isEmpty() && argv.getFirst().endsWith("linux.uml") && argv.contains("uml_dir=" + guest.ownDir())
                && !isZombie(pid);
    }

    static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> argv = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    argv.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return argv;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    boolean alive() { return belongsTo(pid, guest); }

    /** The host CPUs the kernel's main process may run on ({@link CpuPinning}). */
    List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return CpuPinning.parseList(line.substring("Cpus_allowed_list:".length()));
                }
            }
        } catch (IOException e) {
            // Ended while we read.
        }
        return List.of();
    }

    /**
     * The dtach master holding the console: the kernel's grandparent (bubblewrap is in between). It
     * removes its socket when it exits, so a stop is complete only when it is gone too, or it would
     * remove the next start's socket.
     */
    Optional<ProcessHandle> consoleHolder() {
        Optional<ProcessHandle> ancestor = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
        for (int depth = 0; depth < 3 && ancestor.isPresent(); depth++) {
            List<String> argv = commandLine(ancestor.get().pid());
            if (!argv.isEmpty() && argv.getFirst().endsWith("dtach") && argv.contains(guest.consoleSocket().toString())) {
                return ancestor;
            }
            ancestor = ancestor.get().parent();
        }
        return Optional.empty();
    }

    /** The kernel's main process and all it forked, main first. */
    List<Long> tree() {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(main -> main.descendants().forEach(child -> pids.add(child.pid())));
        return pids;
    }

    /**
     * Proportional set size of the whole tree, in bytes. Guest RAM is one shared file that every
     * process of the tree maps, so resident sizes would count it once per process; PSS counts each
     * page once, split between the processes that map it.
     */
    long proportionalSetBytes() {
        long total = 0;
        for (long each : tree()) total += numberField(Path.of("/proc", Long.toString(each), "smaps_rollup"), "Pss:");
        return total * 1024;
    }

    /**
     * The part of {@link #proportionalSetBytes()} that is guest RAM: UML's memory file, an unnamed
     * (deleted) file in a tmpfs (normally /dev/shm) that every process of the tree maps shared.
     */
    long guestRamProportionalBytes() {
        long totalKiB = 0;
        for (long each : tree()) {
            try {
                boolean inMemoryFile = false;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(each), "smaps"))) {
                    if (isMappingHeader(line)) {
                        inMemoryFile = line.contains("/dev/shm/") && line.endsWith("(deleted)");
                    } else if (inMemoryFile && line.startsWith("Pss:")) {
                        totalKiB += Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                    }
                }
            } catch (IOException e) {
                // Ended while we read.
            }
        }
        return totalKiB * 1024;
    }

    /** smaps starts each mapping with "start-end perms offset dev inode [path]". */
    private static boolean isMappingHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** Bytes the kernel read from and wrote to storage for the guest (UML does its disk I/O in the main process). */
    long[] storageBytes() {
        long read = 0;
        long written = 0;
        for (long each : tree()) {
            read += numberField(Path.of("/proc", Long.toString(each), "io"), "read_bytes:");
            written += numberField(Path.of("/proc", Long.toString(each), "io"), "write_bytes:");
        }
        return new long[] {read, written};
    }

    private static long numberField(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // The process ended while we read: it costs nothing any more.
        }
        return 0;
    }

    /** SIGKILL to the whole tree; the last resort when the kernel does not halt. */
    void kill() {
        List<ProcessHandle> all = new ArrayList<>();
        consoleHolder().ifPresent(all::add);
        ProcessHandle.of(pid).ifPresent(main -> {
            all.add(main);
            main.descendants().forEach(all::add);
        });
        all.forEach(ProcessHandle::destroyForcibly);
    }
}
