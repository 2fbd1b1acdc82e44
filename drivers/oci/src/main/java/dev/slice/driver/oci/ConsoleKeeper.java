package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Runs a container's creation and start through the console keeper ({@code slice-oci-console}, built by
 * deploy/oci/build.sh): a small detached process that receives the container's pty master from the
 * runtime over a Unix socket, keeps it and a scrollback for as long as the container lives, and
 * lets any number of clients attach on {@code <run dir>/<id>/console.sock}. Because it is detached,
 * a container keeps its console when Slice stops, and a new Slice finds it by the socket.
 */
final class ConsoleKeeper {
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RESIZE_TIMEOUT = Duration.ofSeconds(5);
    private final Path keeperBinary;
    private final ProcessRunner processes;

    ConsoleKeeper(Path keeperBinary, ProcessRunner processes) {
        this.keeperBinary = keeperBinary;
        this.processes = processes;
    }

    /** The files of one container's keeper. */
    record KeeperFiles(Path dir) {
        Path runtimeSocket() { return dir.resolve("runc.sock"); }
        Path consoleSocket() { return dir.resolve("console.sock"); }
        Path createStatus() { return dir.resolve("create.status"); }
        Path initPid() { return dir.resolve("init.pid"); }
        Path keeperPid() { return dir.resolve("keeper.pid"); }
        Path log() { return dir.resolve("keeper.log"); }
    }

    /**
     * Starts a keeper that runs {@code runArgv} (the runtime's command that creates and starts the
     * container, with {@code --console-socket} pointing at the keeper) and waits until it has finished.
     */
    void runContainer(GuestId id, KeeperFiles files, BiFunction<Path, Path, List<String>> runArgv) {
        if (!Files.isExecutable(keeperBinary)) {
            throw new DriverException("the console keeper " + keeperBinary + " is missing; run deploy/oci/build.sh");
        }
        stopLeftover(files);
        try {
            Files.createDirectories(files.dir());
            for (Path stale : List.of(files.createStatus(), files.initPid(), files.consoleSocket(), files.runtimeSocket())) {
                Files.deleteIfExists(stale);
            }
            Files.writeString(files.log(), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + files.dir(), e);
        }
        // The keeper detaches itself (its own session, output to the log) and its first process exits at
        // once: the same as ProcessRunner.spawnDetached's setsid --fork, without the extra setsid process.
        HostCommand keeper = HostCommand.of(keeperBinary.toString(), "--detach", files.log().toString(), files.dir().toString())
                .withArgs(runArgv.apply(files.runtimeSocket(), files.initPid()).toArray(String[]::new));
        processes.runChecked(keeper);
        int status = awaitCreateStatus(id, files);
        if (status != 0) {
            throw new DriverException("the runtime could not create and start container " + id + " (exit code " + status + "): "
                    + tail(files.log()));
        }
    }

    private int awaitCreateStatus(GuestId id, KeeperFiles files) {
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(files.createStatus())) {
                    return Integer.parseInt(Files.readString(files.createStatus()).strip());
                }
                Thread.sleep(2);
            } catch (IOException | NumberFormatException e) {
                // Renamed into place whole, so a partial read is impossible; retry once more anyway.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted while creating container " + id);
            }
        }
        throw new DriverException("container " + id + " was not created and started within " + CREATE_TIMEOUT + ": " + tail(files.log()));
    }

    /**
     * A keeper whose container is gone exits by itself; one left over from a failed start is ended here.
     * Its status file goes first, so that {@link #isServing} is false at once, not only once the signal is taken.
     */
    void stopLeftover(KeeperFiles files) {
        try {
            Files.deleteIfExists(files.createStatus());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + files.createStatus(), e);
        }
        keeperPid(files).flatMap(ProcessHandle::of).filter(this::isKeeper).ifPresent(ProcessHandle::destroy);
    }

    Optional<Long> keeperPid(KeeperFiles files) {
        try {
            return Optional.of(Long.parseLong(Files.readString(files.keeperPid()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean isRunning(KeeperFiles files) {
        return keeperPid(files).flatMap(ProcessHandle::of).filter(this::isKeeper).isPresent();
    }

    /**
     * The keeper runs, its runtime command (create and start) succeeded and its console socket is
     * there: the container was started, and its init still runs, since the keeper exits when it ends.
     */
    boolean isServing(KeeperFiles files) {
        try {
            if (!Files.exists(files.consoleSocket()) || !Files.exists(files.createStatus())) return false;
            if (!Files.readString(files.createStatus()).strip().equals("0")) return false;
            // The keeper wrote its pid file after it started: a process by that pid that started later is another one.
            Instant written = Files.getLastModifiedTime(files.keeperPid()).toInstant();
            return keeperPid(files).flatMap(ProcessHandle::of).filter(this::isKeeper)
                    .flatMap(process -> process.info().startInstant())
                    .filter(started -> !started.isAfter(written.plusSeconds(1)))
                    .isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isKeeper(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("slice-oci-console")).orElse(false);
    }

    /** Attaches to the console of a running container. */
    ConsoleStream attach(GuestId id, KeeperFiles files) {
        if (!Files.exists(files.consoleSocket())) {
            throw new DriverException("the console of " + id + " is not available: its console keeper is not running ("
                    + files.consoleSocket() + " is missing); restart the guest to get a console again");
        }
        try {
            SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(files.consoleSocket()));
            return new SocketConsoleStream(channel, size -> resize(id, files, size));
        } catch (IOException e) {
            throw new DriverException("cannot attach to the console of " + id + " at " + files.consoleSocket()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets the window size of the container's console. The keeper holds the pty master in a process of its own, out of
     * Java's reach, but the container's {@code /dev/console} is the pty's slave, reachable from the host through its
     * init's root; {@code stty -F} sets the size there (TIOCSWINSZ), and the kernel signals the guest's foreground
     * process (SIGWINCH), as it would for a local terminal. The keeper's {@code TIOCSWINSZ} on the master at start
     * only sets the first size.
     */
    void resize(GuestId id, KeeperFiles files, TerminalSize size) throws IOException {
        long init;
        try {
            init = Long.parseLong(Files.readString(files.initPid()).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IOException("the console of " + id + " has no init pid in " + files.initPid() + " to resize through", e);
        }
        Path console = Path.of("/proc", Long.toString(init), "root", "dev", "console");
        // The guest's root owns its file system: stty (as root, on the host) only ever opens a pty slave, never a
        // file or another device the guest put there (/dev/console is a mount point, so it cannot be swapped).
        if (!isPtySlave(console)) {
            throw new IOException("the console of " + id + " at " + console + " is not a pseudo-terminal; not resizing it");
        }
        ProcessResult result = processes.run(HostCommand.of("stty", "-F", console.toString(),
                "rows", Integer.toString(size.rows()), "cols", Integer.toString(size.columns())).withTimeout(RESIZE_TIMEOUT));
        if (!result.succeeded()) {
            throw new IOException("could not set the console size of " + id + " to " + size + ": " + result.stderr().strip());
        }
    }

    /** A character device of the Unix 98 pty slaves (majors 136 to 143), not followed if it is a link. */
    private static boolean isPtySlave(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            long device = (Long) attributes.get("rdev");
            long major = ((device >>> 8) & 0xfff) | ((device >>> 32) & ~0xfffL);
            return (mode & 0170000) == 0020000 && major >= 136 && major <= 143;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return false;
        }
    }

    void removeFiles(KeeperFiles files) {
        if (!Files.isDirectory(files.dir())) return;
        try (Stream<Path> entries = Files.list(files.dir())) {
            for (Path entry : entries.toList()) Files.deleteIfExists(entry);
            Files.deleteIfExists(files.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + files.dir(), e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log).strip();
            return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /**
     * One attachment: bytes from the keeper are what the guest printed (its scrollback first); bytes to it are
     * keystrokes.
     */
    private static final class SocketConsoleStream implements ConsoleStream {
        private final SocketChannel channel;
        private final InputStream in;
        private final OutputStream out;
        private final WindowResize resize;

        SocketConsoleStream(SocketChannel channel, WindowResize resize) {
            this.channel = channel;
            this.in = Channels.newInputStream(channel);
            this.out = Channels.newOutputStream(channel);
            this.resize = resize;
        }

        @Override public Optional<WindowResize> windowResize() { return Optional.of(resize); }

        @Override public boolean replaysRecentOutput() { return true; }

        @Override public InputStream fromGuest() { return in; }

        @Override public OutputStream toGuest() { return out; }

        @Override public void close() throws IOException { channel.close(); }
    }
}
