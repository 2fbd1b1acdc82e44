package dev.slice.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL Slice runs itself when none is configured: migrated once, data kept across restarts. */
class EmbeddedPostgresServerTest {
    @TempDir Path dataDir;

    @Test
    void keepsItsDataAcrossRestarts() throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setUrl(server.jdbcUrl("postgres"));
            dataSource.setUser(EmbeddedPostgresServer.USER);
            Migrations.migrate(dataSource);
            execute(server, "insert into os_template (name, label) values ('survivor', 'kept across restarts')");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(dataDir, 0);
             Connection connection = DriverManager.getConnection(again.jdbcUrl("postgres"), EmbeddedPostgresServer.USER, "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select label from os_template where name = 'survivor'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("kept across restarts");
        }
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), EmbeddedPostgresServer.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
