package dev.slice.node;

import dev.slice.driver.Capacity;
import dev.slice.driver.registry.BackendStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/** This host's capacity: the largest any available backend's probe reports, else what the JVM sees of the machine. */
final class HostCapacity {
    private HostCapacity() {}

    static Capacity measure(List<BackendStatus> statuses, Path dataDir) {
        int cpus = 0;
        long memory = 0;
        long disk = 0;
        for (BackendStatus status : statuses) {
            if (!status.available() || status.capacity() == null) continue;
            cpus = Math.max(cpus, status.capacity().cpus());
            memory = Math.max(memory, status.capacity().memoryMiB());
            disk = Math.max(disk, status.capacity().diskMiB());
        }
        if (cpus == 0) cpus = Runtime.getRuntime().availableProcessors();
        if (memory == 0 && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize() / (1024 * 1024);
        }
        if (disk == 0) {
            try {
                Path dir = dataDir;
                while (dir != null && !Files.exists(dir)) dir = dir.getParent();
                disk = dir == null ? 0 : Files.getFileStore(dir).getUsableSpace() / (1024 * 1024);
            } catch (IOException e) {
                LoggerFactory.getLogger(HostCapacity.class).warn("Could not measure free disk in {}: {}", dataDir, e.getMessage());
            }
        }
        return new Capacity(cpus, memory, disk);
    }
}
