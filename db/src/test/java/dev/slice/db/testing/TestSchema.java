package dev.slice.db.testing;

import dev.slice.db.Migrations;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** One test's own schema: connect with {@link #jdbcUrl()} (the schema is its search path). */
public record TestSchema(String jdbcUrl, String user, String password, String schema) {

    /** A non-pooling DataSource; enough for framework-free tests, each call opens a connection. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** Applies Slice's migrations to this schema and returns it. */
    public TestSchema migrated() {
        Migrations.migrate(dataSource());
        return this;
    }
}
