package dev.slice.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL Slice starts itself when no database is configured: a single-host installation then
 * needs nothing but the jar. Its data stays in {@code <dataDir>/postgres} across restarts; it listens on
 * loopback only.
 */
public final class EmbeddedPostgresServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts (initialising the data directory on first use) on the given port; 0 picks a free one.
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        Path data = dataDir.resolve("postgres");
        Path binaries = dataDir.resolve("postgres-binaries");
        try {
            Files.createDirectories(data);
            Files.createDirectories(binaries);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            if (port > 0) builder.setPort(port);
            EmbeddedPostgres postgres = builder.start();
            log.info("Embedded PostgreSQL listening on 127.0.0.1:{} with data in {}", postgres.getPort(), data);
            return new EmbeddedPostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL with data in " + data
                    + " (set spring.datasource.url to use an external one)", e);
        }
    }

    public int port() { return postgres.getPort(); }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
