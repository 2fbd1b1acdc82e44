package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code runtime exec} for {@link dev.slice.driver.capability.GuestExec}: the program's host pid goes to a pid
 * file beside the guest's console files, so that when the deadline passes the program itself (and what it
 * started) is killed, not only the runtime's exec process.
 */
final class GuestCommands {
    private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);

    private final OciRuntime runtime;
    private final Path runDir;

    GuestCommands(OciRuntime runtime, Path runDir) {
        this.runtime = runtime;
        this.runDir = runDir;
    }

    ExecResult exec(GuestId id, ExecCommand command) {
        return toResult(run(id, command.argv(), command.timeout(), null));
    }

    /** Writes the bytes through a program in the guest (its own view of paths: no host path ever follows a guest's symlink). */
    void copyIn(GuestId id, byte[] content, String guestPath, boolean executable) {
        if (!guestPath.startsWith("/") || guestPath.contains("\0")) {
            throw new IllegalArgumentException("a guest path must be absolute: " + guestPath);
        }
        String parent = guestPath.substring(0, Math.max(1, guestPath.lastIndexOf('/')));
        checked(id, List.of("mkdir", "-p", parent), null);
        checked(id, List.of("dd", "of=" + guestPath, "bs=65536", "status=none"), content);
        if (executable) checked(id, List.of("chmod", "0755", guestPath), null);
    }

    private void checked(GuestId id, List<String> argv, byte[] stdin) {
        ProcessResult result = run(id, argv, COPY_TIMEOUT, stdin);
        if (!result.succeeded()) {
            throw new DriverException("'" + String.join(" ", argv) + "' in container " + id + " failed with exit code "
                    + result.exitCode() + ": " + result.stderr().strip());
        }
    }

    private ProcessResult run(GuestId id, List<String> argv, Duration timeout, byte[] stdin) {
        Path pidFile = runDir.resolve(id.value()).resolve("exec-" + UUID.randomUUID() + ".pid");
        try {
            Files.createDirectories(pidFile.getParent());
            return runtime.exec(id, timeout, argv, stdin, pidFile);
        } catch (HostCommandException e) {
            if (e.result() == null) killProgram(pidFile);
            throw new DriverException("'" + String.join(" ", argv) + "' in container " + id + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DriverException("cannot prepare an exec in container " + id + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException ignored) {
                // a pid file left in the run directory goes with the container's run-time files
            }
        }
    }

    private static void killProgram(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(program -> {
                program.descendants().forEach(ProcessHandle::destroyForcibly);
                program.destroyForcibly();
            });
        } catch (IOException | NumberFormatException e) {
            // the runtime never started the program: nothing runs in the container
        }
    }

    private static ExecResult toResult(ProcessResult result) {
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr());
    }
}
