package dev.slice.driver.emulator;

import dev.slice.driver.Capacity;
import dev.slice.driver.DriverException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.emulator.Main;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Says whether this host can run emulator guests, and if not, exactly what is missing and which script fixes it. */
final class EmulatorProbe {
    private final EmulatorSettings settings;
    private final GuestTemplates templates;
    private final Optional<CpuCgroup> cgroup;

    EmulatorProbe(EmulatorSettings settings, GuestTemplates templates, Optional<CpuCgroup> cgroup) {
        this.settings = settings;
        this.templates = templates;
        this.cgroup = cgroup;
    }

    ProbeResult probe() {
        try {
            List<String> missing = new ArrayList<>();
            if (settings.launcher().isEmpty()) {
                missing.add("the launcher deploy/emulator/slice-emulator (set emulator.launcher, or run Slice from its checkout)");
            }
            if (!Files.isExecutable(settings.javaHome().resolve("bin/java"))) missing.add("a JDK at " + settings.javaHome());
            for (String tool : List.of("setsid", "cgexec")) {
                if (onPath(tool).isEmpty()) missing.add(tool + " (deploy/setup-host.sh installs it)");
            }
            if (cgroup.isEmpty()) missing.add("a mounted cgroup cpu controller (v1 /sys/fs/cgroup/cpu or v2)");
            String guest;
            try {
                guest = templates.busybox("debian-12").description();
            } catch (DriverException e) {
                missing.add("the riscv64 guest: " + e.getMessage());
                guest = null;
            }
            if (!missing.isEmpty()) {
                return ProbeResult.unavailable("the RISC-V emulator cannot run guests here; missing: "
                        + String.join("; ", missing) + ". Run deploy/emulator/build.sh (as root, after mvn package).");
            }
            String version = version();
            return ProbeResult.available(version, "Slice RV64GC emulator " + version + ", one hart per vCPU (up to "
                    + EmulatorDriver.MAX_VCPUS + "), SBI in Java, one JVM per guest (" + Runtime.version() + "), launcher "
                    + settings.launcher().get() + ", guests: debian-12 = " + guest + debian() + ", " + cgroup.get().describe(),
                    capacity());
        } catch (RuntimeException e) {
            return ProbeResult.unavailable("probing the RISC-V emulator failed: " + e.getMessage());
        }
    }

    /** The Debian riscv64 template, when deploy/emulator/debian/build.sh has built it. */
    private String debian() {
        try {
            return ", debian-13 = " + templates.resolve("debian-13").description();
        } catch (RuntimeException notBuilt) {
            return " (debian-13 not built: run deploy/emulator/build.sh)";
        }
    }

    /** The jar's version, and the kernel recipe of the guest it boots. */
    private String version() {
        String jar = Optional.ofNullable(Main.class.getPackage().getImplementationVersion()).orElse("0.1.0-SNAPSHOT");
        try {
            Path stamp = settings.guestFiles().resolve("kernel.stamp");
            return Files.isRegularFile(stamp) ? jar + " (guest kernel " + Files.readString(stamp).strip() + ")" : jar;
        } catch (IOException e) {
            return jar;
        }
    }

    private Capacity capacity() {
        long memoryMiB = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) memoryMiB = Long.parseLong(line.split("\\s+")[1]) / 1024;
            }
            Path data = Files.isDirectory(settings.guestFiles()) ? settings.guestFiles() : settings.host().dataDir();
            long diskMiB = Files.isDirectory(data) ? Files.getFileStore(data).getUsableSpace() / (1024 * 1024) : 0;
            return new Capacity(Runtime.getRuntime().availableProcessors(), memoryMiB, diskMiB);
        } catch (IOException e) {
            return new Capacity(Runtime.getRuntime().availableProcessors(), memoryMiB, 0);
        }
    }

    static Optional<Path> onPath(String tool) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
