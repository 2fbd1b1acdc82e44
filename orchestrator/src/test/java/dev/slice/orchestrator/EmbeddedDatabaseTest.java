package dev.slice.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.SliceTestApplication;
import dev.slice.account.AccountService;
import dev.slice.db.EmbeddedPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With no spring.datasource.url, Slice runs its own PostgreSQL with the data in $SLICE_DATA/postgres: the
 * schema is migrated, first start runs once, and a restart finds everything again.
 */
class EmbeddedDatabaseTest {
    @TempDir Path dataDir;

    @Test
    void startsItsOwnPostgresAndKeepsTheDataAcrossRestarts() {
        long operatorId;
        try (ConfigurableApplicationContext first = start()) {
            assertThat(first.getBean(EmbeddedPostgresServer.class).port()).isPositive();
            operatorId = first.getBean(AccountService.class).findForLogin("admin").orElseThrow().id();
            first.getBean(JdbcClient.class).sql("insert into os_template (name, label) values ('kept-1', 'kept')").update();
        }
        assertThat(Files.isRegularFile(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
        try (ConfigurableApplicationContext second = start()) {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            assertThat(second.getBean(AccountService.class).findForLogin("admin").orElseThrow().id()).isEqualTo(operatorId);
            assertThat(jdbc.sql("select count(*) from account where role = 'operator'").query(Long.class).single()).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from os_template where name = 'kept-1'").query(Long.class).single()).isEqualTo(1);
        }
    }

    private ConfigurableApplicationContext start() {
        SpringApplication application = new SpringApplication(SliceTestApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        return application.run(
                "--slice.data-dir=" + dataDir,
                "--slice.database.embedded-port=0",
                "--slice.jobs.enabled=false",
                "--slice.reconciler.enabled=false",
                "--slice.bootstrap.configure-bridge=false");
    }
}
