package dev.slice.orchestrator;

import com.zaxxer.hikari.HikariDataSource;
import dev.slice.db.Durability;
import dev.slice.db.EmbeddedPostgresServer;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * When no {@code spring.datasource.url} is configured, Slice starts its own PostgreSQL with the data in
 * {@code $SLICE_DATA/postgres} (kept across restarts), on 127.0.0.1:54329 or a free port if that is taken, durable
 * unless {@code slice.database.embedded-durability=fast}. A server a crashed Slice left behind is stopped first.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnProperty(name = "spring.datasource.url", matchIfMissing = true, havingValue = "__embedded__")
public class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer sliceEmbeddedPostgres(Environment environment) {
        String roles = environment.getProperty("slice.roles", "");
        if (!roles.isBlank() && !roles.replace("_", "-").toLowerCase(java.util.Locale.ROOT).contains("control-plane")) {
            // A database of its own would hold no node of the installation: an agent must use the control plane's.
            throw new IllegalStateException("a node agent needs the control plane's PostgreSQL: set spring.datasource.url"
                    + " (and username, password); see the orchestrator README, Node agents");
        }
        Path dataDir = Path.of(environment.getProperty("slice.data-dir",
                System.getenv().getOrDefault("SLICE_DATA", "/var/lib/slice")));
        int port = environment.getProperty("slice.database.embedded-port", Integer.class, 54329);
        Durability durability = environment.getProperty("slice.database.embedded-durability", Durability.class,
                Durability.DURABLE);
        return EmbeddedPostgresServer.start(dataDir, port, durability);
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
}
