package dev.slice.server;

import dev.slice.error.ConflictException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Server rows; every status change is compare-and-set on {@code version} and checked against the table. */
@Repository
public class ServerRepository {
    private static final String SELECT = "select s.*, o.parent_id as owner_parent_id from server s join account o on o.id = s.owner_id";
    private final JdbcClient jdbc;
    private final Clock clock;

    public ServerRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<ServerRow> find(long id) {
        return jdbc.sql(SELECT + " where s.id = ?").param(id).query(ServerRepository::map).optional();
    }

    /** The names of these servers (deleted ones too: their jobs stay in the log), in one query. */
    public java.util.Map<Long, ServerName> names(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) return java.util.Map.of();
        return jdbc.sql("""
                select s.id, s.hostname, o.username, s.owner_id, o.parent_id from server s join account o on o.id = s.owner_id
                where s.id = any(?)""").param(ids.toArray(Long[]::new))
                .query((rs, row) -> new ServerName(rs.getLong("id"), rs.getString("hostname"), rs.getString("username"),
                        rs.getLong("owner_id"), (Long) rs.getObject("parent_id")))
                .list().stream().collect(java.util.stream.Collectors.toMap(ServerName::id, n -> n));
    }

    public Optional<ServerRow> findByGuest(String guestId) {
        return jdbc.sql(SELECT + " where s.guest_id = ?").param(guestId).query(ServerRepository::map).optional();
    }

    /** Servers on a node that should have a guest (everything not yet deleted). */
    public List<ServerRow> onNode(long nodeId, String backend) {
        return jdbc.sql(SELECT + " where s.node_id = ? and s.backend = ? and s.status <> 'deleted'")
                .params(nodeId, backend).query(ServerRepository::map).list();
    }

    /**
     * Moves the server from the status at {@code expectedVersion} to {@code to}. Refuses a change the
     * transition table does not allow, and a row someone else changed in between (conflict).
     */
    public ServerRow transition(ServerRow row, ServerStatus to) {
        ServerTransitions.require(row.status(), to);
        int changed = jdbc.sql("""
                update server set status = :to, version = version + 1, updated_at = :now
                where id = :id and version = :version and status = :from""")
                .param("to", to.id()).param("now", Timestamp.from(clock.instant())).param("id", row.id())
                .param("version", row.version()).param("from", row.status().id())
                .update();
        if (changed == 0) throw new ConflictException("server " + row.id() + " changed meanwhile; reload and try again");
        return find(row.id()).orElseThrow();
    }

    /**
     * Records the observed power state. Not a status change: it neither needs the table nor bumps the version,
     * so the reconciler never makes a user's action fail with "changed meanwhile".
     */
    public void observePower(long id, PowerState power) {
        jdbc.sql("update server set power_state = ?, updated_at = ? where id = ? and power_state <> ?")
                .params(power.id(), Timestamp.from(clock.instant()), id, power.id()).update();
    }

    /** Changes the install parameters before a reinstall (compare-and-set as well). */
    public ServerRow setInstall(ServerRow row, String template, String rootPasswordHash, List<String> sshKeys) {
        int changed = jdbc.sql("""
                update server set template = :template, root_password_hash = :hash, ssh_keys = :keys,
                  version = version + 1, updated_at = :now where id = :id and version = :version""")
                .param("template", template).param("hash", rootPasswordHash).param("keys", sshKeys.toArray(String[]::new))
                .param("now", Timestamp.from(clock.instant())).param("id", row.id()).param("version", row.version())
                .update();
        if (changed == 0) throw new ConflictException("server " + row.id() + " changed meanwhile; reload and try again");
        return find(row.id()).orElseThrow();
    }

    /** Changes the plan and sizes before a resize (compare-and-set as well). */
    public ServerRow setPlan(ServerRow row, long planId, int vcpus, long memoryMiB, long diskMiB, int bandwidthMbit) {
        int changed = jdbc.sql("""
                update server set plan_id = :plan, vcpus = :vcpus, memory_mib = :memory, disk_mib = :disk,
                  bandwidth_mbit = :bandwidth, version = version + 1, updated_at = :now where id = :id and version = :version""")
                .param("plan", planId).param("vcpus", vcpus).param("memory", memoryMiB).param("disk", diskMiB)
                .param("bandwidth", bandwidthMbit).param("now", Timestamp.from(clock.instant()))
                .param("id", row.id()).param("version", row.version())
                .update();
        if (changed == 0) throw new ConflictException("server " + row.id() + " changed meanwhile; reload and try again");
        return find(row.id()).orElseThrow();
    }

    public void setAddress(long id, String ipv4) {
        jdbc.sql("update server set ipv4 = ?::inet, updated_at = ? where id = ?")
                .params(ipv4, Timestamp.from(clock.instant()), id).update();
    }

    static ServerRow map(ResultSet rs, int row) throws SQLException {
        Array keys = rs.getArray("ssh_keys");
        return new ServerRow(rs.getLong("id"), rs.getString("guest_id"), rs.getLong("owner_id"),
                (Long) rs.getObject("owner_parent_id"), rs.getLong("plan_id"), rs.getLong("node_id"), rs.getString("backend"),
                rs.getString("hostname"), rs.getString("template"), rs.getInt("vcpus"), rs.getLong("memory_mib"),
                rs.getLong("disk_mib"), rs.getInt("bandwidth_mbit"), ServerStatus.fromId(rs.getString("status")),
                PowerState.fromId(rs.getString("power_state")), rs.getString("ipv4"), rs.getString("mac"),
                rs.getString("root_password_hash"), keys == null ? List.of() : List.of((String[]) keys.getArray()),
                rs.getLong("version"));
    }
}
