package dev.slice.report;

import dev.slice.driver.registry.BackendStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's figures depend on, recorded with it: CPU model and count, memory, kernel, cgroup layout,
 * KSM, frequency governor, whether /dev/kvm exists, and each backend's driver and version as its probe
 * reported (QEMU's probe says KVM or TCG in its detail; a report labels TCG as emulation).
 */
public record HostFacts(String cpuModel, int cpus, long memoryMiB, String kernel, String cgroups, boolean kvmDevice, String ksm,
                        String governor, Map<String, String> backends) {

    static HostFacts read(List<BackendStatus> statuses, String cgroups) {
        Map<String, String> backends = new LinkedHashMap<>();
        for (BackendStatus status : statuses) {
            if (!status.available()) continue;
            backends.put(status.kind().id(), status.driverName() + " " + (status.version() == null ? "" : status.version())
                    + (status.detail() == null || status.detail().isBlank() ? "" : " (" + status.detail() + ")"));
        }
        String cpuinfo = text(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.lines().filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("unknown");
        long memTotal = text(Path.of("/proc/meminfo")).lines().filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("\\D+", "")) / 1024).orElse(-1L);
        String ksm = text(Path.of("/sys/kernel/mm/ksm/run")).strip();
        return new HostFacts(model, Runtime.getRuntime().availableProcessors(), memTotal,
                text(Path.of("/proc/sys/kernel/osrelease")).strip(), cgroups, Files.exists(Path.of("/dev/kvm")),
                ksm.equals("1") ? "on" : ksm.isEmpty() ? "unknown" : "off",
                orUnknown(text(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")).strip()), Map.copyOf(backends));
    }

    /** True when a backend's figures come from emulation (QEMU without KVM, the RISC-V emulator). */
    public boolean emulated(String backend) {
        String detail = backends.getOrDefault(backend, "").toLowerCase(java.util.Locale.ROOT);
        return backend.equals("emulator") || backend.equals("qemu") && (detail.contains("tcg") || !detail.contains("kvm"));
    }

    private static String orUnknown(String value) { return value.isEmpty() ? "unknown" : value; }

    private static String text(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
