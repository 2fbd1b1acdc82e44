package dev.slice.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's pipe closes when Slice's JVM ends; closing it here stands for that. Real processes: a real server
 * is shut down, an unrelated process named by the same pid is not signalled.
 */
class PostmasterWatchdogTest {
    @TempDir Path dataDir;

    @AfterEach
    void stopWhatIsLeft() {
        StaleServerTest.stopWhatIsLeft(dataDir);
    }

    @Test
    void whenSliceEndsTheServerShutsDownCleanly() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        Path data = dataDir.resolve("postgres");
        // A server with no Slice of its own, watched by a new watchdog standing in for the JVM's.
        StaleServerTest.startAsIfByACrashedSlice(dataDir);
        long postmaster = PostmasterPidFile.read(data).orElseThrow().pid().orElseThrow();
        PostmasterWatchdog watchdog = PostmasterWatchdog.watch(postmaster, data);

        watchdog.process().getOutputStream().close();

        assertThat(watchdog.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (new DataDirectoryProcesses(data).isServerProcess(postmaster) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(new DataDirectoryProcesses(data).all()).as("no server process of the directory is left").isEmpty();
        assertThat(Files.exists(data.resolve(PostmasterPidFile.NAME))).as("a clean shutdown removes its pid file").isFalse();
    }

    @Test
    void aPidThatIsNoLongerTheServerIsLeftAlone() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        try {
            PostmasterWatchdog watchdog = PostmasterWatchdog.watch(unrelated.pid(), dataDir.resolve("postgres"));

            watchdog.process().getOutputStream().close();

            assertThat(watchdog.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(unrelated.waitFor(1, TimeUnit.SECONDS)).as("the unrelated process was not signalled").isFalse();
        } finally {
            unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoppedSliceEndsItsWatchdogWithoutTheSignal() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            long postmaster = PostmasterPidFile.read(server.dataDirectory()).orElseThrow().pid().orElseThrow();
            PostmasterWatchdog watchdog = PostmasterWatchdog.watch(postmaster, server.dataDirectory());

            watchdog.close();

            assertThat(watchdog.process().isAlive()).isFalse();
            assertThat(EmbeddedPostgresServerTest.query(server.jdbcUrl("postgres"), "select 1")).containsExactly("1");
        }
    }
}
