package dev.slice.db;

import dev.slice.db.ProcessSignals.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears a data directory for a fresh start after Slice crashed: a PostgreSQL Slice started earlier outlives a killed
 * Slice (it runs in a session of its own), keeps the port and the data directory's lock file, and so blocks the next
 * start. It is shut down, never adopted (db/README.md says why): fast first, so it checkpoints and exits cleanly,
 * then immediate, then killed, each with a deadline. Only processes that are PostgreSQL of this very data directory
 * are ever signalled. The caller must hold the data directory's own lock, so that no live Slice uses that server.
 */
final class StaleServer {
    private static final Logger log = LoggerFactory.getLogger(StaleServer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    record Deadlines(Duration fastShutdown, Duration immediateShutdown, Duration kill) {
        static final Deadlines DEFAULT = new Deadlines(Duration.ofSeconds(60), Duration.ofSeconds(15), Duration.ofSeconds(15));
    }

    private final DataDirectoryProcesses processes;
    private final Deadlines deadlines;

    StaleServer(DataDirectoryProcesses processes, Deadlines deadlines) {
        this.processes = processes;
        this.deadlines = deadlines;
    }

    /** Stops whatever still runs on the data directory and removes a lock file PostgreSQL would wrongly trust. */
    void clear() {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(processes.dataDirectory());
        List<Long> running = processes.all();
        if (!running.isEmpty()) {
            log.warn("A PostgreSQL of {} is still running from an earlier start of Slice (processes {}; {}): shutting it"
                    + " down before starting it again", processes.dataDirectory(), running,
                    pidFile.map(Object::toString).orElse("no " + PostmasterPidFile.NAME));
            stop(running, pidFile);
        }
        pidFile.ifPresent(this::removeIfItNamesAnotherProcess);
    }

    private void stop(List<Long> running, Optional<PostmasterPidFile> pidFile) {
        Set<Long> postmasters = new HashSet<>();
        // The pid file names the postmaster; a process whose parent is no server process of this directory is one too
        // (or a backend whose postmaster is already gone, which a fast-shutdown request does not harm).
        pidFile.flatMap(PostmasterPidFile::postmaster).filter(running::contains).ifPresent(postmasters::add);
        for (long pid : running) {
            if (DataDirectoryProcesses.parentOf(pid).stream().noneMatch(running::contains)) postmasters.add(pid);
        }
        signal(postmasters, Signal.INT);
        if (awaitGone(deadlines.fastShutdown())) return;
        log.warn("PostgreSQL of {} did not finish a fast shutdown within {}: shutting it down immediately",
                processes.dataDirectory(), deadlines.fastShutdown());
        signal(processes.all(), Signal.QUIT);
        if (awaitGone(deadlines.immediateShutdown())) return;
        log.warn("PostgreSQL of {} did not stop within {} of an immediate shutdown: killing it",
                processes.dataDirectory(), deadlines.immediateShutdown());
        signal(processes.all(), Signal.KILL);
        if (awaitGone(deadlines.kill())) return;
        throw new IllegalStateException("the PostgreSQL still running on " + processes.dataDirectory()
                + " (processes " + processes.all() + ") could not be stopped; stop it by hand, then start Slice again");
    }

    private void signal(Iterable<Long> pids, Signal signal) {
        for (long pid : pids) {
            ProcessSignals.sendIf(pid, signal, () -> processes.isServerProcess(pid));
        }
    }

    private boolean awaitGone(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            if (processes.all().isEmpty()) return true;
            if (System.nanoTime() - end >= 0) return false;
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL of "
                        + processes.dataDirectory() + " to stop", e);
            }
        }
    }

    /**
     * No server of this directory runs any more (checked above, and the caller's lock keeps it so). PostgreSQL removes
     * a pid file whose process is gone by itself, but refuses to start if the pid has been reused by a live process of
     * its own user, or if the file is unreadable: such a file is stale for certain, and goes.
     */
    private void removeIfItNamesAnotherProcess(PostmasterPidFile pidFile) {
        boolean reused = pidFile.pid().isPresent() && DataDirectoryProcesses.exists(pidFile.pid().getAsLong());
        if (!reused && pidFile.pid().isPresent()) return;
        if (!Files.exists(pidFile.file())) return; // the server removed it when it shut down
        log.warn("Removing the stale {}: {}", pidFile, reused
                ? "its pid now belongs to another process, which is left alone" : "it names no process");
        try {
            Files.deleteIfExists(pidFile.file());
        } catch (IOException e) {
            throw new IllegalStateException("could not remove the stale " + pidFile.file() + ": " + e.getMessage(), e);
        }
    }
}
