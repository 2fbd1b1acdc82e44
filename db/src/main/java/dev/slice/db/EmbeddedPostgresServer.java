package dev.slice.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL Slice starts itself when no database is configured: a single-host installation then
 * needs nothing but the jar. Its data stays in {@code <dataDir>/postgres} across restarts; it listens on
 * loopback only. A server left running by a crashed Slice is shut down first ({@link StaleServer}), so a start after
 * any crash works the first time; {@code <dataDir>/postgres.lock} makes sure no other live Slice uses it meanwhile.
 */
public final class EmbeddedPostgresServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";
    /** Crash recovery replays the WAL since the last checkpoint first; on a busy host that can take a while. */
    private static final Duration STARTUP_DEADLINE = Duration.ofMinutes(2);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final FileChannel lockChannel;
    private final PostmasterWatchdog watchdog;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, FileChannel lockChannel,
                                   PostmasterWatchdog watchdog) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.lockChannel = lockChannel;
        this.watchdog = watchdog;
    }

    /**
     * Starts (initialising the data directory on first use) on {@code port}, or on a free port if that is taken by
     * something else; 0 picks a free one.
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, Durability durability) {
        return start(dataDir, port, durability, StaleServer.Deadlines.DEFAULT);
    }

    static EmbeddedPostgresServer start(Path dataDir, int port, Durability durability, StaleServer.Deadlines deadlines) {
        Path root = dataDir.toAbsolutePath().normalize();
        Path data = root.resolve("postgres");
        Path binaries = root.resolve("postgres-binaries");
        FileChannel lock;
        try {
            Files.createDirectories(data);
            Files.createDirectories(binaries);
            lock = lock(root.resolve("postgres.lock"), data);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + data + " for the embedded PostgreSQL", e);
        }
        try {
            new StaleServer(new DataDirectoryProcesses(data), deadlines).clear();
            setAsideUnfinishedInitdb(data);
            int chosenPort = port > 0 && !free(port) ? 0 : port;
            if (chosenPort != port) log.warn("Port {} is taken; the embedded PostgreSQL uses a free port instead", port);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setPGStartupWait(STARTUP_DEADLINE)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            // Given after the library's own -F (fsync off) and synchronous_commit=off, so these win.
            durability.serverSettings().forEach(builder::setServerConfig);
            if (chosenPort > 0) builder.setPort(chosenPort);
            EmbeddedPostgres postgres = builder.start();
            PostmasterWatchdog watchdog = watch(postgres, data);
            log.info("Embedded PostgreSQL listening on 127.0.0.1:{} with data in {} ({})", postgres.getPort(), data,
                    durability);
            return new EmbeddedPostgresServer(postgres, data, lock, watchdog);
        } catch (IOException | RuntimeException e) {
            release(lock);
            throw new IllegalStateException("could not start the embedded PostgreSQL with data in " + data
                    + ": " + (e.getMessage() == null ? e : e.getMessage()) + " (set spring.datasource.url to use an external one)", e);
        }
    }

    /**
     * A Slice killed during its very first start can leave a data directory initdb never finished, on which the library
     * then fails for good (initdb wants an empty directory; a postgresql.conf makes it skip initdb). No server has ever
     * run on such a directory, since a postmaster writes postmaster.opts first thing, so it holds no data: it is set
     * aside and initialised afresh. A restored base backup (backup_label) is never touched.
     */
    private static void setAsideUnfinishedInitdb(Path data) throws IOException {
        if (Files.exists(data.resolve("postmaster.opts")) || Files.exists(data.resolve("backup_label"))) return;
        try (Stream<Path> entries = Files.list(data)) {
            if (entries.findAny().isEmpty()) return;
        }
        Path aside = data.resolveSibling(data.getFileName() + ".unfinished-" + System.currentTimeMillis());
        log.warn("{} was never started (an initdb that did not finish?): moving it to {} and initialising it again",
                data, aside);
        Files.move(data, aside);
        Files.createDirectories(data);
    }

    /** A server Slice cannot watch is not left running. */
    private static PostmasterWatchdog watch(EmbeddedPostgres postgres, Path data) throws IOException {
        try {
            long postmaster = PostmasterPidFile.read(data).flatMap(PostmasterPidFile::postmaster)
                    .orElseThrow(() -> new IllegalStateException("the server started but "
                            + data.resolve(PostmasterPidFile.NAME) + " names no postmaster"));
            return PostmasterWatchdog.watch(postmaster, data);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    /** Held as long as this server runs; the kernel lets go of it when the process dies, however it dies. */
    private static FileChannel lock(Path lockFile, Path data) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the embedded PostgreSQL with data in " + data + " is in use by another"
                    + " running Slice (" + lockFile + " is locked); stop that one first");
        }
        return channel;
    }

    private static void release(FileChannel lock) {
        if (lock == null) return;
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("Could not release {}", lock, e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() { return postgres.getPort(); }

    public Path dataDirectory() { return dataDirectory; }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            watchdog.close();
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(lockChannel);
        }
    }
}
