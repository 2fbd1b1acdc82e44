package dev.slice.db.testing;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring tests: {@code @ContextConfiguration(initializers = TestDatabaseInitializer.class)} (or
 * {@code @SpringBootTest} plus {@code @ContextConfiguration(initializers = ...)}) points
 * {@code spring.datasource.*} at a fresh schema for each application context. Flyway (Spring Boot's starter)
 * migrates it at start. Give each test class its own context ({@code @DirtiesContext}) to get its own schema.
 */
public final class TestDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
        String label = context.getId() == null ? "spring" : context.getId();
        TestSchema schema = TestDatabase.newSchema(label);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("slice-test-database", Map.of(
                "spring.datasource.url", schema.jdbcUrl(),
                "spring.datasource.username", schema.user(),
                "spring.datasource.password", schema.password(),
                "spring.flyway.schemas", schema.schema(),
                "spring.flyway.default-schema", schema.schema())));
    }
}
