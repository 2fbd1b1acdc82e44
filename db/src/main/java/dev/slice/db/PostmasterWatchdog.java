package dev.slice.db;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL die with Slice. The postmaster runs in a session of its own (pg_ctl starts it so), so
 * nothing ends it when Slice is killed. This small child of Slice's JVM waits on a pipe from it; the kernel closes the
 * pipe when the JVM ends, however it ends, and the watchdog then asks the postmaster for a fast shutdown, if that pid
 * is still a PostgreSQL running in this data directory. A stopped Slice ends its watchdog first. Should the watchdog
 * be killed along with Slice, the next start stops the server instead ({@link StaleServer}).
 */
final class PostmasterWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);
    // read returns at end of input only: nothing is ever written to the pipe.
    private static final String SCRIPT = """
            read -r _
            [ "$(cat /proc/$1/comm 2>/dev/null)" = postgres ] && [ /proc/$1/cwd -ef "$2" ] && kill -INT "$1"
            """;

    private final Process process;

    private PostmasterWatchdog(Process process) {
        this.process = process;
    }

    static PostmasterWatchdog watch(long postmasterPid, Path dataDirectory) {
        try {
            Process process = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "slice-postgres-watchdog",
                    Long.toString(postmasterPid), dataDirectory.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new PostmasterWatchdog(process);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the watchdog that stops PostgreSQL of " + dataDirectory
                    + " with Slice: " + e.getMessage(), e);
        }
    }

    Process process() {
        return process;
    }

    /** Ends the watchdog without its signal: the caller stops the server itself. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) log.warn("The PostgreSQL watchdog (pid {}) did not end", process.pid());
    }
}
