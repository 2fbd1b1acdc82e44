package dev.slice.driver.oci;

import dev.slice.driver.Capacity;
import dev.slice.driver.ProbeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;

/** Whether this host can run Slice's containers, and if not, exactly what is missing and which script adds it. */
final class HostProbe {
    private static final List<String> REQUIRED_TOOLS =
            List.of("ip", "tc", "mount", "umount", "mkfs.ext4", "e2fsck", "resize2fs", "setsid");

    private final OciPaths paths;
    private final RuntimeChoice runtimeChoice;
    private final OciRuntime runtime;

    HostProbe(OciPaths paths, RuntimeChoice runtimeChoice, OciRuntime runtime) {
        this.paths = paths;
        this.runtimeChoice = runtimeChoice;
        this.runtime = runtime;
    }

    ProbeResult probe() {
        try {
            if (!runtimeChoice.usable()) return ProbeResult.unavailable(runtimeChoice.reason());
            List<String> missing = HostTools.missing(REQUIRED_TOOLS);
            if (!missing.isEmpty()) {
                return ProbeResult.unavailable("missing host programs " + missing + "; run deploy/oci/setup.sh");
            }
            if (!Files.exists(Path.of("/dev/loop-control"))) {
                return ProbeResult.unavailable("no loop device support (/dev/loop-control), needed for the guests' disks");
            }
            if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
                return ProbeResult.unavailable("the kernel has no overlay file system (modprobe overlay), needed for the guests' roots");
            }
            for (Path built : List.of(paths.consoleKeeper(), paths.containerInit(), paths.firstBootScript())) {
                if (!Files.isExecutable(built)) {
                    return ProbeResult.unavailable(built + " is missing; run deploy/oci/build.sh");
                }
            }
            String version = runtimeChoice.name() + " " + runtime.version();
            String detail = runtimeChoice.reason() + "; roots are overlays of the template on a loop-mounted ext4 image"
                    + " per guest; consoles kept by " + paths.consoleKeeper() + "; " + procViewDetail();
            return ProbeResult.available(version, detail, capacity());
        } catch (IOException | RuntimeException e) {
            return ProbeResult.unavailable("probing the OCI backend failed: " + e.getMessage());
        }
    }

    private static String procViewDetail() {
        Optional<ProcView> view = ProcView.onThisHost();
        if (view.isPresent()) return "lxcfs at " + view.get().root() + " shows each container its own memory, CPUs and uptime";
        return ProcView.staleMountOnThisHost()
                .map(root -> "lxcfs is mounted at " + root + " but does not answer (its daemon is gone), so containers see"
                        + " the host's memory and CPUs in /proc (run deploy/oci/setup.sh)")
                .orElse("lxcfs is not running, so containers see the host's memory and CPUs in /proc (run deploy/oci/setup.sh)");
    }

    private Capacity capacity() throws IOException {
        long memoryKiB = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) memoryKiB = Long.parseLong(line.replaceAll("\\D", ""));
        }
        Path storage = Files.isDirectory(paths.dataDir()) ? paths.dataDir() : Path.of("/");
        long diskMiB = Files.getFileStore(storage).getUsableSpace() / (1024 * 1024);
        return new Capacity(Runtime.getRuntime().availableProcessors(), memoryKiB / 1024, diskMiB);
    }
}
