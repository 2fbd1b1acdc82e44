package dev.slice.report;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one round of the yardstick on one target: on the host inside the run's cgroup (bare metal), or in a
 * guest through its driver's {@link GuestExec}. Either way the same binary, arguments and parser.
 */
final class BenchTargets {
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
        argv.addAll(Yardstick.arguments(depth, "/var/tmp/slice-bench/disk.dat", peer));
        ExecResult result = exec.exec(guest, new ExecCommand(argv, deadline(depth, emulated)));
        if (!result.succeeded()) {
            throw new DriverException("the yardstick failed in the " + backend + " guest " + guest + " with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
        return Yardstick.parse(result.stdout());
    }
}
