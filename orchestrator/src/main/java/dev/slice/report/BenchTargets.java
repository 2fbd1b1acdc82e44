package dev.slice.report;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.host.HostCommandException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one round of the yardstick on one target: on the host inside the run's cgroup (bare metal), or in a
 * guest through its driver's {@link GuestExec}. Either way the same binary, arguments and parser; and where the
 * target has them, the field's tools ({@link FieldTools}) the same way on every target.
 */
final class BenchTargets {
    /** The benchmark template (Debian 12 with sysbench, fio, iperf3, linux-perf), used for a backend that has its form. */
    static final String BENCH_TEMPLATE = "debian-12-bench";
    static final String PLAIN_TEMPLATE = "debian-12";
    static final String GUEST_DIR = "/var/tmp/slice-bench";

    private final ProcessRunner processes;
    private final Path dataDir;

    BenchTargets(ProcessRunner processes, Path dataDir) {
        this.processes = processes;
        this.dataDir = dataDir;
    }

    /** The yardstick built for a backend's guests (x86-64, or riscv64 for the emulator). */
    Path yardstick(String target) {
        String arch = target.equals("emulator") ? "riscv64" : "x86_64";
        return dataDir.resolve("bench").resolve(arch).resolve("slice-yardstick");
    }

    /** Where bare metal keeps its disk file: the file system the guests' disks live on. */
    Path bareMetalDir(long runId) {
        return dataDir.resolve("bench").resolve("runs").resolve(Long.toString(runId));
    }

    /** A round's deadline: every workload's time several times over, plus start-up, for slow and emulated targets. */
    static Duration deadline(Depth depth, boolean emulated) {
        long millis = Yardstick.WORKLOADS.size() * depth.workloadMillis() * 4 + 60_000;
        return Duration.ofMillis(emulated ? millis * 10 : millis);
    }

    /** debian-12-bench where it is built for the backend's form (deploy/bench/template.sh, deploy/libvirt), else debian-12. */
    String template(String backend) {
        String form = switch (backend) {
            case "oci" -> "rootfs";
            case "qemu", "xen" -> "x86_64";
            default -> backend; // uml, emulator
        };
        return Files.exists(dataDir.resolve("templates").resolve(BENCH_TEMPLATE).resolve(form)) ? BENCH_TEMPLATE : PLAIN_TEMPLATE;
    }

    /**
     * Makes the guest's disk workload land on its own disk. A guest that runs from RAM (the emulator's busybox
     * guest lives in its initramfs) would otherwise measure memory: its own, still unused disk is formatted and
     * mounted on the workload's directory (with what was copied there). A guest whose directory is on a disk already is left as it is.
     */
    static final String OWN_DISK_SCRIPT = "d=" + GUEST_DIR + "; mkdir -p $d; case $(stat -f -c %T $d) in ramfs|tmpfs) ;; *) exit 0 ;; esac; "
            + "for dev in /dev/vda /dev/xvda /dev/ubda /dev/sda; do [ -b $dev ] || continue; "
            + "grep -q \"^$dev \" /proc/mounts && continue; m=$(mktemp -d); mke2fs $dev >/dev/null && mount $dev $m "
            + "&& cp -a $d/. $m/ && umount $m && mount $dev $d && exit 0; done; "
            + "echo \"no unused disk for $d\" >&2; exit 1";

    void useOwnDisk(GuestExec exec, GuestId guest, String backend) {
        // Formatting a disk on an emulated machine takes seconds to minutes; elsewhere this answers at once.
        ExecResult result = exec.exec(guest, new ExecCommand(List.of("sh", "-c", OWN_DISK_SCRIPT), Duration.ofMinutes(5)));
        if (!result.succeeded()) {
            throw new DriverException("the " + backend + " guest " + guest + " runs from RAM and its own disk could not be mounted for"
                    + " the disk workload (exit code " + result.exitCode() + "): " + result.stderr().strip());
        }
    }

    /** The field tools installed on the host (run on bare metal inside the run's cgroup). */
    List<String> hostTools() {
        List<String> found = new ArrayList<>();
        for (String program : FieldTools.PROGRAMS) {
            try {
                if (processes.run(HostCommand.of(FieldTools.versionCommand(program)).withTimeout(Duration.ofSeconds(20))).succeeded()) {
                    found.add(program);
                }
            } catch (HostCommandException e) {
                // not installed
            }
        }
        return found;
    }

    /** The field tools in a guest: each answers its version through GuestExec. */
    List<String> guestTools(GuestExec exec, GuestId guest, boolean emulated) {
        List<String> found = new ArrayList<>();
        for (String program : FieldTools.PROGRAMS) {
            try {
                List<String> argv = FieldTools.versionCommand(program);
                if (exec.exec(guest, new ExecCommand(argv, Duration.ofSeconds(emulated ? 120 : 20))).succeeded()) found.add(program);
            } catch (DriverException e) {
                // not in this guest's template
            }
        }
        return found;
    }

    /** One round of the field tools on bare metal, inside the run's cgroup; iperf3 against a server on loopback. */
    Yardstick.Figures bareMetalTools(long runId, BareMetalCgroup cgroup, Depth depth, Set<String> tools) {
        Duration deadline = toolDeadline(depth, false);
        return tools(tools, depth, false, bareMetalDir(runId).toString(), "127.0.0.1", Sample.BARE_METAL, argv -> {
            List<String> full = new ArrayList<>(cgroup.cgexec(runId));
            full.addAll(argv);
            ProcessResult result = processes.run(HostCommand.of(full).withTimeout(deadline));
            return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
        });
    }

    /** One round of the field tools in a guest; iperf3 against a server on the host end of its link ({@code hostAddress}). */
    Yardstick.Figures guestTools(GuestExec exec, GuestId guest, String backend, Depth depth, boolean emulated, Set<String> tools,
                                 String hostAddress) {
        Duration deadline = toolDeadline(depth, emulated);
        return tools(tools, depth, emulated, GUEST_DIR, hostAddress, backend + " guest " + guest,
                argv -> exec.exec(guest, new ExecCommand(argv, deadline)));
    }

    private Yardstick.Figures tools(Set<String> tools, Depth depth, boolean emulated, String dir, String iperfAddress, String where,
                                    Function<List<String>, ExecResult> run) {
        Map<Metric, Double> values = new EnumMap<>(Metric.class);
        boolean direct = true;
        for (FieldTools.Invocation invocation : FieldTools.invocations(tools, depth, dir, iperfAddress, 0)) {
            ExecResult result = run.apply(invocation.argv());
            if (!result.succeeded() && invocation.directFallback() != null) {
                direct = false; // the file system refuses O_DIRECT: measured through the page cache, and said so
                result = run.apply(invocation.directFallback());
            }
            values.putAll(parsed(invocation, result, where));
        }
        if (tools.contains("iperf3")) {
            try (IperfServer server = IperfServer.start(processes, iperfAddress, toolDeadline(depth, emulated))) {
                FieldTools.Invocation client = FieldTools.iperf3(depth, iperfAddress, server.port());
                values.putAll(parsed(client, run.apply(client.argv()), where));
            }
        }
        if (tools.contains("fio")) run.apply(List.of("rm", "-f", dir + "/fio.dat"));
        return new Yardstick.Figures(values, direct);
    }

    private static Map<Metric, Double> parsed(FieldTools.Invocation invocation, ExecResult result, String where) {
        if (!result.succeeded()) {
            throw new DriverException("'" + String.join(" ", invocation.argv()) + "' failed on " + where + " with exit code "
                    + result.exitCode() + ": " + (result.stderr().isBlank() ? result.stdout() : result.stderr()).strip());
        }
        try {
            return invocation.parse().apply(result.stdout());
        } catch (IllegalArgumentException e) {
            throw new DriverException(invocation.tool() + " on " + where + ": " + e.getMessage());
        }
    }

    /** Each tool's deadline: its run time several times over plus start-up (fio lays out its file first). */
    static Duration toolDeadline(Depth depth, boolean emulated) {
        long seconds = FieldTools.seconds(depth) * 4 + 60;
        return Duration.ofSeconds(emulated ? seconds * 10 : seconds);
    }

    Yardstick.Figures bareMetal(long runId, BareMetalCgroup cgroup, Depth depth, String peer) {
        List<String> argv = new ArrayList<>(cgroup.cgexec(runId));
        argv.add(yardstick(Sample.BARE_METAL).toString());
        argv.addAll(Yardstick.arguments(depth, bareMetalDir(runId).resolve("disk.dat").toString(), peer));
        ProcessResult result = processes.run(HostCommand.of(argv).withTimeout(deadline(depth, false)));
        if (!result.succeeded()) {
            throw new DriverException("the yardstick failed on bare metal with exit code " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
        return Yardstick.parse(result.stdout());
    }

    Yardstick.Figures guest(GuestExec exec, GuestId guest, String backend, Depth depth, boolean emulated, String peer) {
        List<String> argv = new ArrayList<>(List.of(Yardstick.GUEST_PATH));
        argv.addAll(Yardstick.arguments(depth, GUEST_DIR + "/disk.dat", peer));
        ExecResult result = exec.exec(guest, new ExecCommand(argv, deadline(depth, emulated)));
        if (!result.succeeded()) {
            throw new DriverException("the yardstick failed in the " + backend + " guest " + guest + " with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return Yardstick.parse(result.stdout());
    }
}
