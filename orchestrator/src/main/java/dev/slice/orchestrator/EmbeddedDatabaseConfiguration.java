package dev.slice.orchestrator;

import com.zaxxer.hikari.HikariDataSource;
import dev.slice.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * When no {@code spring.datasource.url} is configured, Slice starts its own PostgreSQL with the data in
 * {@code $SLICE_DATA/postgres} (kept across restarts), on 127.0.0.1:54329 or a free port if that is taken.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(name = "spring.datasource.url", matchIfMissing = true, havingValue = "__embedded__")
public class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer sliceEmbeddedPostgres(Environment environment) {
        Path dataDir = Path.of(environment.getProperty("slice.data-dir",
                System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice")));
        int port = environment.getProperty("slice.database.embedded-port", Integer.class, 54329);
        if (port > 0 && !free(port)) {
            LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class)
                    .warn("Port {} is taken; the embedded PostgreSQL uses a free port instead", port);
            port = 0;
        }
        return EmbeddedPostgresServer.start(dataDir, port);
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgresServer postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.jdbcUrl("postgres"));
        dataSource.setUsername(EmbeddedPostgresServer.USER);
        dataSource.setPassword("");
        dataSource.setMaximumPoolSize(20);
        return dataSource;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
