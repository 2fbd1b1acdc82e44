package dev.slice.firewall;

import dev.slice.driver.firewall.FirewallAction;
import dev.slice.driver.firewall.FirewallPolicy;
import dev.slice.driver.firewall.FirewallProtocol;
import dev.slice.driver.firewall.FirewallRule;
import dev.slice.driver.firewall.PortRange;
import dev.slice.driver.firewall.SourceCidr;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** A server's firewall: its default action and its rules in order. No row: no firewall (everything allowed). */
@Repository
public class FirewallRepository {
    private final JdbcClient jdbc;
    private final Clock clock;

    public FirewallRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<FirewallPolicy> find(long serverId) {
        return jdbc.sql("select default_action from server_firewall where server_id = ?").param(serverId)
                .query(String.class).optional()
                .map(action -> new FirewallPolicy(action(action), jdbc.sql(
                        "select * from firewall_rule where server_id = ? order by position").param(serverId)
                        .query(FirewallRepository::rule).list()));
    }

    /** Replaces the server's whole firewall in one transaction; the row is locked, so concurrent edits take turns. */
    @Transactional
    public void replace(long serverId, FirewallPolicy policy) {
        jdbc.sql("""
                insert into server_firewall (server_id, default_action, updated_at) values (?, ?, ?)
                on conflict (server_id) do update set default_action = excluded.default_action, updated_at = excluded.updated_at""")
                .params(serverId, id(policy.defaultAction()), Timestamp.from(clock.instant())).update();
        jdbc.sql("delete from firewall_rule where server_id = ?").param(serverId).update();
        List<FirewallRule> rules = policy.rules();
        for (int i = 0; i < rules.size(); i++) {
            FirewallRule r = rules.get(i);
            jdbc.sql("""
                    insert into firewall_rule (server_id, position, action, protocol, port_from, port_to, source)
                    values (?, ?, ?, ?, ?, ?, cast(? as cidr))""")
                    .params(serverId, i, id(r.action()), r.protocol().name().toLowerCase(Locale.ROOT),
                            r.ports() == null ? null : r.ports().from(), r.ports() == null ? null : r.ports().to(),
                            r.source() == null ? null : r.source().toString())
                    .update();
        }
    }

    /**
     * Locks the server's firewall row for a read-modify-write within the caller's transaction; {@code create} makes an
     * open one first if there is none (an add), otherwise there is nothing to lock (a delete of what is not there).
     */
    Optional<FirewallPolicy> lock(long serverId, boolean create) {
        if (create) {
            jdbc.sql("""
                    insert into server_firewall (server_id, default_action, updated_at) values (?, 'allow', ?)
                    on conflict (server_id) do nothing""").params(serverId, Timestamp.from(clock.instant())).update();
        }
        if (jdbc.sql("select 1 from server_firewall where server_id = ? for update").param(serverId).query(Integer.class)
                .optional().isEmpty()) {
            return Optional.empty();
        }
        return find(serverId);
    }

    private static FirewallRule rule(ResultSet rs, int row) throws SQLException {
        Integer from = (Integer) rs.getObject("port_from");
        String source = rs.getString("source");
        return new FirewallRule(action(rs.getString("action")), FirewallProtocol.valueOf(rs.getString("protocol").toUpperCase(Locale.ROOT)),
                from == null ? null : new PortRange(from, rs.getInt("port_to")), source == null ? null : SourceCidr.parse(source));
    }

    private static FirewallAction action(String id) {
        return id.equals("allow") ? FirewallAction.ALLOW : FirewallAction.DENY;
    }

    private static String id(FirewallAction action) {
        return action == FirewallAction.ALLOW ? "allow" : "deny";
    }
}
