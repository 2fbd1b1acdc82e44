package dev.slice.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL Slice runs itself when none is configured: migrated once, data kept across restarts. */
class EmbeddedPostgresServerTest {
    @TempDir Path dataDir;

    @Test
    void keepsItsDataAcrossRestarts() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setUrl(server.jdbcUrl("postgres"));
            dataSource.setUser(EmbeddedPostgresServer.USER);
            Migrations.migrate(dataSource);
            execute(server.jdbcUrl("postgres"), "insert into os_template (name, label) values ('survivor', 'kept across restarts')");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            assertThat(query(again.jdbcUrl("postgres"), "select label from os_template where name = 'survivor'"))
                    .containsExactly("kept across restarts");
        }
    }

    @Test
    void durableModeFlushesEveryCommit() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.DURABLE)) {
            assertThat(settings(server)).containsExactly("on", "on", "on");
        }
    }

    @Test
    void fastModeFlushesNothing() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            assertThat(settings(server)).containsExactly("off", "off", "off");
        }
    }

    @Test
    void aSecondStartOnADataDirectoryInUseIsRefusedAndTheFirstServerKeepsRunning() throws SQLException {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running Slice");
            assertThat(query(first.jdbcUrl("postgres"), "select 1")).containsExactly("1");
        }
        // The refused start released nothing it did not hold: the directory can be used again.
        EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST).close();
    }

    @Test
    void aFirstStartKilledDuringInitdbIsInitialisedAgain() throws Exception {
        // What a Slice killed half-way through initdb leaves: some files, a postgresql.conf, no server ever started.
        Path data = Files.createDirectories(dataDir.resolve("postgres"));
        Files.writeString(data.resolve("PG_VERSION"), "14\n");
        Files.writeString(data.resolve("postgresql.conf"), "");
        Files.createDirectories(data.resolve("base"));

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0, Durability.FAST)) {
            assertThat(query(server.jdbcUrl("postgres"), "select 1")).containsExactly("1");
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            assertThat(entries.map(path -> path.getFileName().toString())).anyMatch(name -> name.startsWith("postgres.unfinished-"));
        }
    }

    private static List<String> settings(EmbeddedPostgresServer server) throws SQLException {
        List<String> values = new ArrayList<>();
        for (String name : List.of("fsync", "synchronous_commit", "full_page_writes")) {
            values.addAll(query(server.jdbcUrl("postgres"), "show " + name));
        }
        return values;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static List<String> query(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) values.add(rows.getString(1));
        }
        return values;
    }
}
