package dev.slice.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies Slice's schema outside Spring (tests of framework-free code, tools). Spring applications
 * get the same migrations from the Flyway starter, which reads {@link #LOCATION} by default.
 */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(LOCATION).load().migrate();
    }
}
