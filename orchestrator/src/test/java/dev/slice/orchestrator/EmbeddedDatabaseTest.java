package dev.slice.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.SliceTestApplication;
import dev.slice.account.AccountService;
import dev.slice.db.Durability;
import dev.slice.db.EmbeddedPostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With no spring.datasource.url, Slice runs its own PostgreSQL with the data in $SLICE_DATA/postgres: the
 * schema is migrated, first start runs once, a restart finds everything again, also after Slice was killed (in a
 * process of its own, SIGKILL) with its PostgreSQL still running or killed too; and it is durable unless told not to be.
 */
class EmbeddedDatabaseTest {
    /** Rows the child commits before it is killed; it keeps committing until the kill. */
    private static final int COMMITS_BEFORE_THE_KILL = 200;

    @TempDir Path dataDir;

    @Test
    void startsItsOwnPostgresAndKeepsTheDataAcrossRestarts() {
        long operatorId;
        try (ConfigurableApplicationContext first = start(dataDir, 0, "--slice.database.embedded-durability=fast")) {
            assertThat(first.getBean(EmbeddedPostgresServer.class).port()).isPositive();
            operatorId = first.getBean(AccountService.class).findForLogin("admin").orElseThrow().id();
            first.getBean(JdbcClient.class).sql("insert into os_template (name, label) values ('kept-1', 'kept')").update();
        }
        assertThat(Files.isRegularFile(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
        try (ConfigurableApplicationContext second = start(dataDir, 0, "--slice.database.embedded-durability=fast")) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(second.getBean(AccountService.class).findForLogin("admin").orElseThrow().id()).isEqualTo(operatorId);
            assertThat(jdbc.sql("select count(*) from account where role = 'operator'").query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from os_template where name = 'kept-1'").query(Long.class).single()).isEqualTo(1);
        }
    }

    @Test
    void theRunCommandsDefaultIsDurable() {
        try (ConfigurableApplicationContext slice = start(dataDir, 0)) {
            assertThat(settings(slice)).containsExactly("on", "on", "on");
        }
    }

    @Test
    void onlyTestsRunFast() {
        try (ConfigurableApplicationContext slice = start(dataDir, 0, "--slice.database.embedded-durability=fast")) {
            assertThat(settings(slice)).containsExactly("off", "off", "off");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void thePostgresOfAKilledSliceShutsDownCleanlyByItself() throws Exception {
        int port = freePort();
        Crash crash = runSliceAndKill(port, Kill.SLICE);
        // The postmaster removes its pid file last thing in a clean shutdown.
        Path pidFile = dataDir.resolve("postgres/postmaster.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.exists(pidFile) && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(Files.exists(pidFile)).as("PostgreSQL shut down cleanly once Slice was gone").isFalse();

        try (ConfigurableApplicationContext again = start(dataDir, port)) {
            assertThat(again.getBean(EmbeddedPostgresServer.class).port()).isEqualTo(port);
            assertThat(committedRows(again, crash.committed())).isEqualTo(crash.committed());
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void startsOnTheFirstTryAfterSliceWasKilledAndItsPostgresKeptRunning() throws Exception {
        int port = freePort();
        long committed = runSliceAndKill(port, Kill.SLICE_AND_WATCHDOG).committed();
        assertThat(count("jdbc:postgresql://127.0.0.1:" + port + "/postgres"))
                .as("the killed Slice's PostgreSQL still runs").isGreaterThanOrEqualTo(committed);

        try (ConfigurableApplicationContext again = start(dataDir, port)) {
            assertThat(again.getBean(EmbeddedPostgresServer.class).port()).as("the old server was stopped, not side-stepped")
                    .isEqualTo(port);
            assertThat(committedRows(again, committed)).isEqualTo(committed);
            assertThat(settings(again)).containsExactly("on", "on", "on");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void startsOnTheFirstTryAfterSliceAndItsPostgresWereBothKilled() throws Exception {
        int port = freePort();
        Crash crash = runSliceAndKill(port, Kill.SLICE_AND_WATCHDOG);
        long committed = crash.committed();
        ProcessHandle server = ProcessHandle.of(crash.postmaster()).orElseThrow();
        List<ProcessHandle> tree = new ArrayList<>(server.descendants().toList());
        tree.add(server);
        tree.forEach(ProcessHandle::destroyForcibly);   // SIGKILL: no checkpoint, the WAL alone holds the rows
        for (ProcessHandle process : tree) process.onExit().get(30, TimeUnit.SECONDS);

        try (ConfigurableApplicationContext again = start(dataDir, port)) {
            assertThat(again.getBean(EmbeddedPostgresServer.class).port()).isEqualTo(port);
            assertThat(committedRows(again, committed)).isEqualTo(committed);
        }
    }

    private enum Kill { SLICE, SLICE_AND_WATCHDOG }

    private record Crash(long committed, long postmaster) {}

    /**
     * Starts Slice as `./slice run` does (no datasource, durable) in a JVM of its own, lets it commit, then SIGKILLs
     * it (no shutdown hook, no pg_ctl stop), and its own children (the watchdog) first if asked to.
     */
    private Crash runSliceAndKill(int port, Kill kill) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SliceProcess.class.getName(), dataDir.toString(),
                Integer.toString(port))
                .redirectErrorStream(true).start();
        try {
            long committed = awaitCommits(child, COMMITS_BEFORE_THE_KILL);
            long postmaster = postmasterPid();
            if (kill == Kill.SLICE_AND_WATCHDOG) {
                List<ProcessHandle> children = child.children().toList();
                assertThat(children).as("Slice's watchdog").isNotEmpty();
                children.forEach(ProcessHandle::destroyForcibly);
                for (ProcessHandle process : children) process.onExit().get(30, TimeUnit.SECONDS);
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Crash(committed, postmaster);
        } finally {
            child.destroyForcibly();
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
    }

    /** Reads the child's output until it reports {@code wanted} commits; returns the last one it reported. */
    private static long awaitCommits(Process child, int wanted) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Long> reached = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder tail = new StringBuilder();
            long last = 0;
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("COMMITTED ")) {
                        last = Long.parseLong(line.substring("COMMITTED ".length()));
                        if (last >= wanted) reached.complete(last);
                    } else {
                        tail.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
            reached.completeExceptionally(new AssertionError("Slice ended after " + last + " commits:\n" + tail));
        });
        return reached.get(4, TimeUnit.MINUTES);
    }

    private static long committedRows(ConfigurableApplicationContext slice, long upTo) {
        return slice.getBean(JdbcClient.class).sql("select count(*) from crash_rows where id <= ?").param(upTo)
                .query(Long.class).single();
    }

    private static long count(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
             ResultSet rows = connection.createStatement().executeQuery("select count(*) from crash_rows")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> settings(ConfigurableApplicationContext slice) {
        JdbcClient jdbc = slice.getBean(JdbcClient.class);
        return Stream.of("fsync", "synchronous_commit", "full_page_writes")
                .map(name -> jdbc.sql("show " + name).query(String.class).single()).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static ConfigurableApplicationContext start(Path dataDir, int port, String... more) {
        SpringApplication application = new SpringApplication(SliceTestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        List<String> args = new ArrayList<>(List.of(
                "--slice.data-dir=" + dataDir,
                "--slice.database.embedded-port=" + port,
                "--slice.jobs.enabled=false",
                "--slice.reconciler.enabled=false",
                "--slice.bootstrap.configure-bridge=false"));
        args.addAll(List.of(more));
        return application.run(args.toArray(String[]::new));
    }

    /** A test that failed half-way must not leave a server behind: a start clears it, the close stops it. */
    @AfterEach
    void stopWhatIsLeft() {
        if (Files.exists(dataDir.resolve("postgres/postmaster.pid"))) {
            EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
        }
    }

    /** The crashing Slice: started like the test's own, then commits rows one by one until it is killed. */
    public static final class SliceProcess {
        public static void main(String[] args) throws Exception {
            // Ends with the test that started it, should that one die first.
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (System.in.read() >= 0) { /* nothing is sent */ }
                } catch (IOException ignored) {
                    // the parent is gone either way
                }
                Runtime.getRuntime().halt(3);
            });
            ConfigurableApplicationContext slice = start(Path.of(args[0]), Integer.parseInt(args[1]));
            JdbcClient jdbc = slice.getBean(JdbcClient.class);
            jdbc.sql("create table crash_rows (id bigint primary key)").update();
            for (long id = 1; ; id++) {
                jdbc.sql("insert into crash_rows values (?)").param(id).update();
                System.out.println("COMMITTED " + id);
                System.out.flush();
            }
        }
    }
}
