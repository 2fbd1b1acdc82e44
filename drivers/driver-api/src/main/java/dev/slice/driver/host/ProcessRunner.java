package dev.slice.driver.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one way Slice runs a host process: argument lists, a deadline, captured output, and an
 * exception that names the command, its exit code and the end of its error output.
 */
public class ProcessRunner {
    private static final int TAIL_CHARS = 2000;

    /** Runs the command and returns however it ended; throws only if it could not start or timed out. */
    public ProcessResult run(HostCommand command) {
        Process process = start(command, ProcessBuilder.Redirect.PIPE);
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        writeStdin(process, command.stdin());
        try {
            if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new HostCommandException("'" + command + "' did not finish within " + command.timeout()
                        + " and was killed", (Throwable) null);
            }
            return new ProcessResult(command, process.exitValue(), text(out.join()), text(err.join()));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new HostCommandException("interrupted while running '" + command + "'", e);
        }
    }

    /** Runs the command and throws with its error output unless it exits 0. */
    public ProcessResult runChecked(HostCommand command) {
        ProcessResult result = run(command);
        if (!result.succeeded()) {
            String detail = tail(result.stderr().isBlank() ? result.stdout() : result.stderr());
            throw new HostCommandException("'" + command + "' failed with exit code " + result.exitCode()
                    + (detail.isBlank() ? "" : ": " + detail.strip()), result);
        }
        return result;
    }

    /**
     * Starts a long-lived process in its own session, so that it survives Slice stopping and receives
     * none of Slice's signals; its output goes to {@code log}. The process is re-parented away from
     * Slice at once, so callers find it again by what it leaves behind (a pid file, a socket).
     */
    public void spawnDetached(HostCommand command, Path log) {
        List<String> argv = new ArrayList<>(List.of("setsid", "--fork"));
        argv.addAll(command.argv());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(command.environment());
        if (command.workingDirectory() != null) builder.directory(command.workingDirectory().toFile());
        try {
            Process launcher = builder.start();
            if (!launcher.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS) || launcher.exitValue() != 0) {
                launcher.destroyForcibly();
                throw new HostCommandException("could not start '" + command + "' in the background; see " + log,
                        (Throwable) null);
            }
        } catch (IOException e) {
            throw new HostCommandException("could not start '" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostCommandException("interrupted while starting '" + command + "'", e);
        }
    }

    /** Starts a process attached to Slice with piped standard streams (consoles, interactive tools). */
    public Process startAttached(HostCommand command) {
        return start(command, ProcessBuilder.Redirect.PIPE);
    }

    private static Process start(HostCommand command, ProcessBuilder.Redirect stdio) {
        ProcessBuilder builder = new ProcessBuilder(command.argv())
                .redirectInput(stdio).redirectOutput(stdio).redirectError(stdio);
        builder.environment().putAll(command.environment());
        if (command.workingDirectory() != null) builder.directory(command.workingDirectory().toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new HostCommandException("could not start '" + command.program() + "': " + e.getMessage()
                    + " (is it installed? see deploy/setup-host.sh)", e);
        }
    }

    private static void writeStdin(Process process, byte[] stdin) {
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException e) {
            // The process closed its input early; its exit code and output tell the story.
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    private static String text(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }

    private static String tail(String text) {
        return text.length() <= TAIL_CHARS ? text : "..." + text.substring(text.length() - TAIL_CHARS);
    }
}
