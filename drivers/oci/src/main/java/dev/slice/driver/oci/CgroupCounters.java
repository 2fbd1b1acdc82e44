package dev.slice.driver.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a container's CPU time and memory use from its cgroup, in either cgroup version. */
final class CgroupCounters {
    private final Path cgroupRoot;
    private final CgroupMode mode;

    CgroupCounters(Path cgroupRoot, CgroupMode mode) {
        this.cgroupRoot = cgroupRoot;
        this.mode = mode;
    }

    long cpuTimeNanos(String guestId) {
        String group = relative(guestId);
        if (mode.isV2()) {
            return statField(cgroupRoot.resolve(group).resolve("cpu.stat"), "usage_usec") * 1000;
        }
        for (String controller : List.of("cpuacct", "cpu,cpuacct", "cpuacct,cpu")) {
            long value = number(cgroupRoot.resolve(controller).resolve(group).resolve("cpuacct.usage"));
            if (value >= 0) return value;
        }
        return -1;
    }

    long memoryBytes(String guestId) {
        String group = relative(guestId);
        return mode.isV2()
                ? number(cgroupRoot.resolve(group).resolve("memory.current"))
                : number(cgroupRoot.resolve("memory").resolve(group).resolve("memory.usage_in_bytes"));
    }

    private static String relative(String guestId) {
        return OciConfig.cgroupsPath(guestId).substring(1);
    }

    private static long number(Path file) {
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static long statField(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && parts[0].equals(key)) return Long.parseLong(parts[1]);
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Bytes read and written through a loop device, from /sys/block/<dev>/stat (512-byte sectors). */
    static long[] blockReadWriteBytes(String device) {
        try {
            String[] fields = Files.readString(Path.of("/sys/block", device, "stat")).strip().split("\\s+");
            return new long[] {Long.parseLong(fields[2]) * 512, Long.parseLong(fields[6]) * 512};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
