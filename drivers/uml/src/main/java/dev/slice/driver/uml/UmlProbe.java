package dev.slice.driver.uml;

import dev.slice.driver.Capacity;
import dev.slice.driver.HostContext;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.host.CpuCgroup;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Says whether this host can run UML guests, and if not, exactly what to install or fix. */
final class UmlProbe {
    private static final List<String> TOOLS = List.of("uml_mconsole", "dtach", "cgexec", "taskset", "bwrap", "setpriv", "iptables", "ip6tables",
            "mkfs.ext4", "ip", "perl");

    private final HostContext host;
    private final UmlSettings settings;
    private final Optional<CpuCgroup> cgroup;

    UmlProbe(HostContext host, UmlSettings settings, Optional<CpuCgroup> cgroup) {
        this.host = host;
        this.settings = settings;
        this.cgroup = cgroup;
    }

    ProbeResult probe() {
        try {
            List<String> missing = new ArrayList<>();
            if (!Files.isExecutable(settings.kernel())) {
                missing.add(settings.kernel() + " (Debian's user-mode-linux, which deploy/uml/setup.sh installs)");
            }
            for (String tool : TOOLS) {
                if (onPath(tool).isEmpty()) missing.add(tool);
            }
            if (!Files.exists(Path.of("/dev/net/tun"))) missing.add("/dev/net/tun (TAP devices)");
            if (cgroup.isEmpty()) missing.add("a mounted cgroup cpu controller (v1 /sys/fs/cgroup/cpu or v2)");
            if (!missing.isEmpty()) {
                return ProbeResult.unavailable("User-Mode Linux is not usable on this host; missing: "
                        + String.join(", ", missing) + ". Run deploy/uml/setup.sh.");
            }
            ProcessResult version = host.processes().run(
                    HostCommand.of(settings.kernel().toString(), "--version").withTimeout(Duration.ofSeconds(10)));
            String kernelVersion = version.stdout().strip().lines().reduce((first, last) -> last).orElse("unknown");
            String detail = "linux.uml " + kernelVersion + packageVersion().map(v -> " (user-mode-linux " + v + ")").orElse("")
                    + ", guest processes under " + settings.processMode().name().toLowerCase(Locale.ROOT)
                    + ", each guest jailed as its own host user, " + cgroup.get().describe();
            return ProbeResult.available(kernelVersion, detail, capacity());
        } catch (RuntimeException e) {
            return ProbeResult.unavailable("probing User-Mode Linux failed: " + e.getMessage());
        }
    }

    /** The Debian package version that setup.sh records beside the kernel, when it is there. */
    private Optional<String> packageVersion() {
        try {
            Path file = settings.kernel().toRealPath().resolveSibling("VERSION");
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Capacity capacity() {
        long memoryMiB = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) memoryMiB = Long.parseLong(line.split("\\s+")[1]) / 1024;
            }
            Path data = Files.isDirectory(settings.guests()) ? settings.guests() : host.dataDir();
            long diskMiB = Files.isDirectory(data) ? Files.getFileStore(data).getUsableSpace() / (1024 * 1024) : 0;
            return new Capacity(Runtime.getRuntime().availableProcessors(), memoryMiB, diskMiB);
        } catch (IOException e) {
            return new Capacity(Runtime.getRuntime().availableProcessors(), memoryMiB, 0);
        }
    }

    static Optional<Path> onPath(String tool) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
