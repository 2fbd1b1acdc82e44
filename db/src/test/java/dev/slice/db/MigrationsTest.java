package dev.slice.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.db.testing.TestDatabaseExtension;
import dev.slice.db.testing.TestSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestDatabaseExtension.class)
class MigrationsTest {

    @Test
    void schemaHasEveryTableInTheTestsOwnSchema(TestSchema schema) throws SQLException {
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from information_schema.tables where table_schema = '"
                     + schema.schema() + "' and table_name in ('account','api_token','plan','capacity_grant','os_template',"
                     + "'node','node_backend','ip_pool','ip_address','server','job','job_step','audit_log','reconcile_finding')")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(14);
        }
    }

    @Test
    void migratingTwiceIsHarmless(TestSchema schema) {
        Migrations.migrate(schema.dataSource());
    }

    @Test
    void anOperatorCannotHaveAParentAndOthersMust(TestSchema schema) throws SQLException {
        try (Connection c = schema.dataSource().getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("insert into account(role, username, display_name, password_hash, created_at)"
                    + " values ('customer', 'orphan', 'x', 'x', now())"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("account_parent_by_role");
        }
    }
}
