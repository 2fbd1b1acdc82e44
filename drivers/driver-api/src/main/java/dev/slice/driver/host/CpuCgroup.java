package dev.slice.driver.host;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A guest's CPU cgroup, {@code <parent>/<id>} (one parent per backend, e.g. {@code slice-uml}): the quota that
 * holds the guest to its vCPUs, and the CPU time it used. The guest joins it through {@code cgexec} before its
 * first instruction, so every host process it forks is inside. Works on cgroup v1 (cpu and cpuacct
 * controllers, as on hybrid hosts) and on the unified v2 hierarchy. Shared by the UML and emulator drivers.
 */
public sealed interface CpuCgroup {
    long PERIOD_MICROS = 100_000;

    /** The group under which each guest of one backend gets its own. */
    String parent();

    /** Creates the group if needed and sets its quota to {@code vcpus} CPUs. */
    void ensure(GuestId id, int vcpus);

    /** The {@code cgexec} arguments that start a command inside the guest's group. */
    List<String> cgexec(GuestId id);

    /** CPU time used by everything in the group so far, in nanoseconds; -1 if the group is gone. */
    long cpuTimeNanos(GuestId id);

    /** The quota now set, in microseconds per {@link #PERIOD_MICROS}; empty when the group is missing or unlimited. */
    Optional<Long> quotaMicros(GuestId id);

    /** Removes the group; its processes must have ended. */
    void remove(GuestId id);

    String describe();

    /** The layout found under {@code root} (normally {@code /sys/fs/cgroup}), or empty when no CPU controller is mounted. */
    static Optional<CpuCgroup> detect(Path root, String parent) {
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) return Optional.of(new V2(root, parent));
        if (Files.isRegularFile(root.resolve("cpu").resolve("cpu.cfs_quota_us"))) return Optional.of(new V1(root, parent));
        return Optional.empty();
    }

    record V1(Path root, String parent) implements CpuCgroup {
        private Path cpu(GuestId id) { return root.resolve("cpu").resolve(parent).resolve(id.value()); }

        private Path cpuacct(GuestId id) { return root.resolve("cpuacct").resolve(parent).resolve(id.value()); }

        private boolean hasCpuacct() { return Files.isDirectory(root.resolve("cpuacct")); }

        @Override
        public void ensure(GuestId id, int vcpus) {
            createDirectories(cpu(id));
            write(cpu(id).resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
            write(cpu(id).resolve("cpu.cfs_quota_us"), Long.toString(vcpus * PERIOD_MICROS));
            if (hasCpuacct()) createDirectories(cpuacct(id));
        }

        @Override
        public List<String> cgexec(GuestId id) {
            String group = parent + "/" + id.value();
            return hasCpuacct()
                    ? List.of("cgexec", "-g", "cpu:" + group, "-g", "cpuacct:" + group)
                    : List.of("cgexec", "-g", "cpu:" + group);
        }

        @Override
        public long cpuTimeNanos(GuestId id) {
            return read(cpuacct(id).resolve("cpuacct.usage")).map(String::strip).map(Long::parseLong).orElse(-1L);
        }

        @Override
        public Optional<Long> quotaMicros(GuestId id) {
            return read(cpu(id).resolve("cpu.cfs_quota_us")).map(String::strip).map(Long::parseLong).filter(q -> q > 0);
        }

        @Override
        public void remove(GuestId id) {
            removeGroup(cpu(id));
            removeGroup(cpuacct(id));
        }

        @Override
        public String describe() { return "cgroup v1 (" + root.resolve("cpu") + ")"; }
    }

    record V2(Path root, String parent) implements CpuCgroup {
        private Path group(GuestId id) { return root.resolve(parent).resolve(id.value()); }

        @Override
        public void ensure(GuestId id, int vcpus) {
            // A child gets the cpu controller only when every ancestor delegates it.
            enableCpu(root);
            createDirectories(root.resolve(parent));
            enableCpu(root.resolve(parent));
            createDirectories(group(id));
            write(group(id).resolve("cpu.max"), (vcpus * PERIOD_MICROS) + " " + PERIOD_MICROS);
        }

        private static void enableCpu(Path dir) {
            String enabled = read(dir.resolve("cgroup.subtree_control")).orElse("");
            if (!List.of(enabled.strip().split("\\s+")).contains("cpu")) {
                write(dir.resolve("cgroup.subtree_control"), "+cpu");
            }
        }

        @Override
        public List<String> cgexec(GuestId id) {
            return List.of("cgexec", "-g", "cpu:" + parent + "/" + id.value());
        }

        @Override
        public long cpuTimeNanos(GuestId id) {
            return read(group(id).resolve("cpu.stat")).flatMap(stat -> stat.lines()
                            .filter(line -> line.startsWith("usage_usec "))
                            .map(line -> Long.parseLong(line.substring("usage_usec ".length()).strip()) * 1000)
                            .findFirst())
                    .orElse(-1L);
        }

        @Override
        public Optional<Long> quotaMicros(GuestId id) {
            return read(group(id).resolve("cpu.max")).map(max -> max.strip().split("\\s+")[0])
                    .filter(quota -> !quota.equals("max")).map(Long::parseLong);
        }

        @Override
        public void remove(GuestId id) { removeGroup(group(id)); }

        @Override
        public String describe() { return "cgroup v2 (" + root + ")"; }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DriverException("could not create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new DriverException("could not write '" + value + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void removeGroup(Path dir) {
        try {
            // cgroupfs directories are removed with rmdir while their control files are still listed.
            if (Files.isDirectory(dir)) Files.delete(dir);
        } catch (IOException e) {
            throw new DriverException("could not remove cgroup " + dir + " (are its processes gone?): " + e.getMessage(), e);
        }
    }
}
