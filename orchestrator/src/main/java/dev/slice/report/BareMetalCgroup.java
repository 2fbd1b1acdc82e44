package dev.slice.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup that confines a run's bare-metal workloads to the plan's vCPUs (CFS quota) and memory, so
 * that every ratio compares like with like: {@code slice-bench/run-<id>} under the cpu and memory
 * controllers (cgroup v1, also on hybrid hosts) or in the unified v2 hierarchy. The workloads enter it
 * through {@code cgexec} before their first instruction, as UML guests do.
 */
sealed interface BareMetalCgroup {
    String PARENT = "slice-bench";
    long PERIOD_MICROS = 100_000;

    /** Creates the group if needed and sets its limits. */
    void ensure(long runId, int vcpus, long memoryMiB);

    /** The {@code cgexec} arguments that start a command inside the group. */
    List<String> cgexec(long runId);

    /** Removes the group (idempotent); its processes must have ended. */
    void remove(long runId);

    String describe();

    static BareMetalCgroup detect(Path root) {
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) return new V2(root);
        return new V1(root);
    }

    static String group(long runId) { return PARENT + "/run-" + runId; }

    record V1(Path root) implements BareMetalCgroup {
        private static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory");

        private List<String> present() {
            return CONTROLLERS.stream().filter(c -> Files.isDirectory(root.resolve(c))).toList();
        }

        @Override
        public void ensure(long runId, int vcpus, long memoryMiB) {
            for (String controller : present()) mkdirs(root.resolve(controller).resolve(group(runId)));
            Path cpu = root.resolve("cpu").resolve(group(runId));
            write(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
            write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(vcpus * PERIOD_MICROS));
            write(root.resolve("memory").resolve(group(runId)).resolve("memory.limit_in_bytes"), Long.toString(memoryMiB << 20));
        }

        @Override
        public List<String> cgexec(long runId) {
            List<String> argv = new ArrayList<>(List.of("cgexec"));
            for (String controller : present()) argv.addAll(List.of("-g", controller + ":" + group(runId)));
            return argv;
        }

        @Override
        public void remove(long runId) {
            for (String controller : present()) rmdir(root.resolve(controller).resolve(group(runId)));
        }

        @Override
        public String describe() { return "cgroup v1 (cpu quota, memory limit)"; }
    }

    record V2(Path root) implements BareMetalCgroup {
        @Override
        public void ensure(long runId, int vcpus, long memoryMiB) {
            delegate(root);
            mkdirs(root.resolve(PARENT));
            delegate(root.resolve(PARENT));
            Path group = root.resolve(group(runId));
            mkdirs(group);
            write(group.resolve("cpu.max"), (vcpus * PERIOD_MICROS) + " " + PERIOD_MICROS);
            write(group.resolve("memory.max"), Long.toString(memoryMiB << 20));
        }

        private static void delegate(Path dir) {
            String enabled = read(dir.resolve("cgroup.subtree_control"));
            for (String controller : List.of("cpu", "memory")) {
                if (!List.of(enabled.strip().split("\\s+")).contains(controller)) {
                    write(dir.resolve("cgroup.subtree_control"), "+" + controller);
                }
            }
        }

        @Override
        public List<String> cgexec(long runId) {
            return List.of("cgexec", "-g", "cpu,memory:" + group(runId));
        }

        @Override
        public void remove(long runId) { rmdir(root.resolve(group(runId))); }

        @Override
        public String describe() { return "cgroup v2 (cpu.max, memory.max)"; }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create cgroup " + dir, e);
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write '" + value + "' to " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rmdir(Path dir) {
        try {
            // cgroupfs directories go with rmdir although their control files are still listed
            if (Files.isDirectory(dir)) Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove cgroup " + dir + " (are its processes gone?)", e);
        }
    }
}
