package dev.slice.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a set of guests costs the host, read from the host's own books for any backend: the guests' host processes
 * are those whose command line or cgroup names a guest id (a QEMU's {@code -name guest=ID}, a UML's {@code umid=ID},
 * a container's cgroup, an emulator's guest directory; systemd's {@code \x2d} escaping included), their PSS from
 * {@code smaps_rollup} (shared pages split between the sharers, so N guests add up), and the kernel memory of the
 * memory cgroups that are the guests' own (v1 {@code memory.kmem.usage_in_bytes}, v2 {@code memory.stat} kernel).
 */
final class GuestFootprint {
    /** PSS and kernel memory of the guests together, in KiB, and how many host processes and own cgroups were found. */
    record Reading(long pssKiB, long kernelKiB, int processes, int cgroups) {}

    private final Path proc;
    private final Path cgroupRoot;

    GuestFootprint(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    static GuestFootprint host() {
        return new GuestFootprint(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    Reading read(Collection<String> guestIds) {
        long pss = 0;
        int processes = 0;
        Set<String> ownCgroups = new LinkedHashSet<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                String cmdline = text(pid.resolve("cmdline")).replace('\0', ' ');
                String cgroups = text(pid.resolve("cgroup"));
                Optional<String> guest = guestIds.stream().filter(id -> names(cmdline, id) || names(cgroups, id)).findFirst();
                if (guest.isEmpty()) continue;
                long processPss = pssKiB(text(pid.resolve("smaps_rollup")));
                if (processPss < 0) continue; // a kernel thread or gone meanwhile
                pss += processPss;
                processes++;
                memoryCgroup(cgroups).filter(path -> names(path, guest.get())).ifPresent(ownCgroups::add);
            }
        } catch (IOException e) {
            return new Reading(0, 0, 0, 0);
        }
        long kernel = 0;
        for (String group : ownCgroups) kernel += kernelKiB(group);
        return new Reading(pss, kernel, processes, ownCgroups.size());
    }

    /** USER_HZ of /proc/PID/stat on Linux. */
    static final long TICKS_PER_SECOND = 100;

    /** CPU time (user + system, in ticks) of the guests' host processes now, for backends whose driver has no Stats. */
    long cpuTicks(Collection<String> guestIds) {
        long ticks = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                String cmdline = text(pid.resolve("cmdline")).replace('\0', ' ');
                String cgroups = text(pid.resolve("cgroup"));
                if (guestIds.stream().noneMatch(id -> names(cmdline, id) || names(cgroups, id))) continue;
                ticks += statTicks(text(pid.resolve("stat")));
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks;
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15, counted after the command name in parentheses). */
    static long statTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return 0;
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length < 13) return 0;
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Whether {@code text} names {@code id} as a whole (not {@code -d1} inside {@code -d10}), raw or systemd-escaped. */
    static boolean names(String text, String id) {
        return contains(text, id) || contains(text, id.replace("-", "\\x2d"));
    }

    private static boolean contains(String text, String id) {
        int at = text.indexOf(id);
        while (at >= 0) {
            int end = at + id.length();
            if (end == text.length() || !isIdChar(text.charAt(end))) return true;
            at = text.indexOf(id, at + 1);
        }
        return false;
    }

    private static boolean isIdChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    /** The Pss line of smaps_rollup in KiB; -1 when there is none. */
    static long pssKiB(String smapsRollup) {
        return smapsRollup.lines().filter(l -> l.startsWith("Pss:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElse(-1L);
    }

    /** The memory cgroup's path from /proc/PID/cgroup: the v1 memory line, else the v2 line. */
    static Optional<String> memoryCgroup(String procCgroup) {
        List<String> lines = procCgroup.lines().toList();
        Optional<String> v1 = lines.stream().filter(l -> l.matches("\\d+:([^:]*,)?memory(,[^:]*)?:.*"))
                .map(l -> l.substring(l.indexOf(':', l.indexOf(':') + 1) + 1)).findFirst();
        if (v1.isPresent()) return v1;
        return lines.stream().filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
    }

    private long kernelKiB(String group) {
        String relative = group.startsWith("/") ? group.substring(1) : group;
        Path v1 = cgroupRoot.resolve("memory").resolve(relative).resolve("memory.kmem.usage_in_bytes");
        String kmem = text(v1).strip();
        if (!kmem.isEmpty()) return Long.parseLong(kmem) / 1024;
        return text(cgroupRoot.resolve(relative).resolve("memory.stat")).lines().filter(l -> l.startsWith("kernel "))
                .findFirst().map(l -> Long.parseLong(l.substring("kernel ".length()).strip()) / 1024).orElse(0L);
    }

    private static String text(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
