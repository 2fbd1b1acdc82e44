package dev.slice.db.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL integration tests run against: the host's server on 127.0.0.1:5432 (trust auth, user
 * {@code postgres}, database {@code test}) when it answers, otherwise an embedded one started once per JVM.
 * Every caller gets its own schema, dropped when the JVM exits, so test classes never see each other's rows.
 * {@code -Dslice.test-database=embedded} skips the host's server.
 */
public final class TestDatabase {
    private static final String HOST_URL = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";

    private static String baseUrl;
    private static String password = "";
    private static final List<String> schemas = new ArrayList<>();
    private static final int DROP_BATCH = 8;

    private TestDatabase() {}

    /** Creates an empty schema named after {@code label}; the schema is the connection's search path. */
    public static synchronized TestSchema newSchema(String label) {
        String base = base();
        String schema = ("t_" + label.replaceAll("[^A-Za-z0-9]", "_")).toLowerCase(Locale.ROOT);
        if (schema.length() > 40) schema = schema.substring(schema.length() - 40);
        schema = schema + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        execute(base, "create schema " + schema);
        schemas.add(schema);
        return new TestSchema(base + "?currentSchema=" + schema, USER, password, schema);
    }

    private static String base() {
        if (baseUrl != null) return baseUrl;
        // -Dslice.test-database=embedded forces the fallback (to test what a fresh machine does).
        boolean forceEmbedded = "embedded".equals(System.getProperty("slice.test-database"));
        if (!forceEmbedded && hostServerAnswers()) {
            baseUrl = HOST_URL + "test";
        } else {
            try {
                EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300").start();
                baseUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try { embedded.close(); } catch (IOException ignored) { /* the JVM is going away */ }
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("no PostgreSQL on 127.0.0.1:5432 and the embedded one did not start", e);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropSchemas));
        return baseUrl;
    }

    private static boolean hostServerAnswers() {
        try (Connection ignored = connect(HOST_URL + "test")) {
            return true;
        } catch (SQLException missingDatabase) {
            // The server may answer without the test database: create it.
            try {
                execute(HOST_URL + "postgres", "create database test");
                return true;
            } catch (RuntimeException unreachable) {
                return false;
            }
        }
    }

    /**
     * Several schemas per statement: a statement's own cost is close to a schema's catalog work (four schemas one by one
     * 4.3 s, in one statement 2.2 s at load 20; sixteen 8.1 s against 5.7 s in two statements at load 6), and a JVM
     * whose hook outlives Surefire's 30 s exit timeout is killed with its schemas left behind. Eight at a time keeps a
     * statement's locks (about 160 objects per schema) well inside PostgreSQL's shared lock table.
     */
    private static void dropSchemas() {
        List<String> toDrop;
        synchronized (TestDatabase.class) {
            toDrop = List.copyOf(schemas);
        }
        for (int from = 0; from < toDrop.size(); from += DROP_BATCH) {
            List<String> batch = toDrop.subList(from, Math.min(toDrop.size(), from + DROP_BATCH));
            try {
                execute(baseUrl, "drop schema if exists " + String.join(", ", batch) + " cascade");
            } catch (RuntimeException batchFailed) {
                for (String schema : batch) { // one at a time, so one bad schema keeps no other
                    try {
                        execute(baseUrl, "drop schema if exists " + schema + " cascade");
                    } catch (RuntimeException ignored) {
                        // best effort at exit
                    }
                }
            }
        }
    }

    static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(url, properties);
    }

    private static void execute(String url, String sql) {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + url + ": " + e.getMessage(), e);
        }
    }
}
