package dev.slice.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A digest of every row of every table in the test's schema: equal digests mean nothing was written. */
final class TableDigest {
    private TableDigest() {}

    static Map<String, String> of(JdbcClient jdbc) {
        Map<String, String> digests = new LinkedHashMap<>();
        for (String table : jdbc.sql("""
                select table_name from information_schema.tables
                where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history'
                order by table_name""").query(String.class).list()) {
            digests.put(table, jdbc.sql("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                    + table + " t").query(String.class).single());
        }
        return digests;
    }
}
