package dev.slice.db;

import static dev.slice.db.EmbeddedPostgresServerTest.execute;
import static dev.slice.db.EmbeddedPostgresServerTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start after Slice crashed: the server it left behind is stopped (never a second one on the same data
 * directory) with every committed row kept, and a pid file naming a process that is not that server never gets
 * that process signalled. Real PostgreSQL servers, real processes.
 */
class StaleServerTest {
    @TempDir Path dataDir;
    @TempDir Path otherDataDir;

    @AfterEach
    void stopWhatIsLeft() {
        stopWhatIsLeft(dataDir);
        stopWhatIsLeft(otherDataDir);
    }

    /** A test that failed half-way must not leave a server behind: a start clears it, the close stops it. */
    static void stopWhatIsLeft(Path dataDir) {
        if (Files.exists(dataDir.resolve("postgres").resolve(PostmasterPidFile.NAME))) {
            EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        }
    }

    @Test
    void aServerLeftRunningIsShutDownAndTheNewOneGetsItsPortAndItsRows() throws Exception {
        int port = startAsIfByACrashedSlice();
        long stalePid = postmasterPid(dataDir);
        execute(url(port), "create table kept (id int primary key)");
        execute(url(port), "insert into kept select generate_series(1, 500)");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, port, Durability.FAST)) {
            assertThat(server.port()).as("the stale server was stopped, not side-stepped").isEqualTo(port);
            assertThat(running(stalePid)).as("the stale postmaster has exited").isFalse();
            assertThat(postmasterPid(dataDir)).isNotEqualTo(stalePid);
            assertThat(query(server.jdbcUrl("postgres"), "select count(*) from kept")).containsExactly("500");
        }
    }

    @Test
    void aServerThatDoesNotStopInTimeIsShutDownHarderAndCrashRecoveryKeepsItsRows() throws Exception {
        int port = startAsIfByACrashedSlice();
        execute(url(port), "create table kept (id int primary key)");
        execute(url(port), "insert into kept select generate_series(1, 500)");
        // No time at all for a fast shutdown: the immediate one (SIGQUIT, no checkpoint) follows at once.
        StaleServer.Deadlines impatient = new StaleServer.Deadlines(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(30));

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST, impatient)) {
            assertThat(query(server.jdbcUrl("postgres"), "select count(*) from kept")).containsExactly("500");
        }
    }

    @Test
    void aPidFileNamingAnUnrelatedLiveProcessLeavesThatProcessAlone() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        // Of the server's own user: PostgreSQL would refuse to start over this pid file, so Slice must clear it.
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        try {
            writePidFile(dataDir.resolve("postgres"), unrelated.pid());

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
                assertThat(query(server.jdbcUrl("postgres"), "select 1")).containsExactly("1");
                assertThat(postmasterPid(dataDir)).isNotEqualTo(unrelated.pid());
            }
            assertThat(unrelated.waitFor(1, TimeUnit.SECONDS)).as("the unrelated process was not signalled").isFalse();
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPidFileNamingTheServerOfAnotherDataDirectoryLeavesThatServerRunning() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        try (EmbeddedPostgresServer neighbour = EmbeddedPostgresServer.start(otherDataDir, 0, Durability.FAST)) {
            long neighbourPid = postmasterPid(otherDataDir);
            writePidFile(dataDir.resolve("postgres"), neighbourPid);

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
                assertThat(query(server.jdbcUrl("postgres"), "select 1")).containsExactly("1");
            }
            assertThat(postmasterPid(otherDataDir)).isEqualTo(neighbourPid);
            assertThat(query(neighbour.jdbcUrl("postgres"), "select 1")).containsExactly("1");
        }
    }

    @Test
    void aPidFileWhoseProcessIsGoneIsNoObstacle() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        writePidFile(dataDir.resolve("postgres"), gone.pid());

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            assertThat(query(server.jdbcUrl("postgres"), "select 1")).containsExactly("1");
        }
    }

    /**
     * A server started the way the library starts Slice's ({@code pg_ctl start}, a session of its own), by a process
     * that is then gone: exactly what a killed Slice leaves running.
     */
    private int startAsIfByACrashedSlice() throws Exception {
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        return startAsIfByACrashedSlice(dataDir);
    }

    /** As above, on a data directory that has been initialised already. */
    static int startAsIfByACrashedSlice(Path dataDir) throws Exception {
        Path pgCtl;
        try (Stream<Path> found = Files.walk(dataDir.resolve("postgres-binaries"))) {
            pgCtl = found.filter(path -> path.endsWith("bin/pg_ctl")).findFirst().orElseThrow();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        // As the library does for root, which PostgreSQL refuses: in a user namespace of its own.
        if ("root".equals(System.getProperty("user.name"))) command.addAll(List.of("unshare", "-U"));
        command.addAll(List.of(pgCtl.toString(), "-D", dataDir.resolve("postgres").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1", "-w", "-t", "120", "start"));
        Process pgCtlStart = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("left-behind.log").toFile()).start();
        assertThat(pgCtlStart.waitFor(150, TimeUnit.SECONDS)).isTrue();
        assertThat(pgCtlStart.exitValue()).as(Files.readString(dataDir.resolve("left-behind.log"))).isZero();
        assertThat(new DataDirectoryProcesses(dataDir.resolve("postgres")).all()).contains(postmasterPid(dataDir));
        return port;
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        return Long.parseLong(Files.readAllLines(root.resolve("postgres").resolve(PostmasterPidFile.NAME)).getFirst().strip());
    }

    /** Alive and not a zombie (an exited child of a process that has not reaped it yet). */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) return false;
        String state = Files.readString(stat);
        return state.charAt(state.lastIndexOf(')') + 2) != 'Z';
    }

    /** The first lines of a real postmaster.pid: pid, data directory, start time, port. */
    private static void writePidFile(Path data, long pid) throws IOException {
        Files.writeString(data.resolve(PostmasterPidFile.NAME), pid + "\n" + data + "\n"
                + System.currentTimeMillis() / 1000 + "\n54329\n");
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }
}
