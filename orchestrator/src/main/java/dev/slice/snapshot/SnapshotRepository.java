package dev.slice.snapshot;

import dev.slice.error.ConflictException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Snapshot rows; every status change is compare-and-set on {@code version} and checked against the table. */
@Repository
public class SnapshotRepository {
    private final JdbcClient jdbc;
    private final Clock clock;

    public SnapshotRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new snapshot, CREATING. */
    long insert(long serverId, String name, long createdBy) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                insert into snapshot (server_id, name, status, created_by, created_at, updated_at)
                values (?, ?, 'creating', ?, ?, ?) returning id""")
                .params(serverId, name, createdBy, now, now).query(Long.class).single();
    }

    public Optional<Snapshot> find(long id) {
        return jdbc.sql("select * from snapshot where id = ?").param(id).query(SnapshotRepository::map).optional();
    }

    /** The server's snapshots that are not deleted, oldest first. */
    public List<Snapshot> ofServer(long serverId) {
        return jdbc.sql("select * from snapshot where server_id = ? and status <> 'deleted' order by id")
                .param(serverId).query(SnapshotRepository::map).list();
    }

    /** Snapshots that count against the plan's limit: all that exist or are being made or deleted. */
    int held(long serverId) {
        return jdbc.sql("select count(*) from snapshot where server_id = ? and status in ('creating', 'ready', 'deleting')")
                .param(serverId).query(Integer.class).single();
    }

    /** Moves the snapshot on from the status it had at its version; refuses what the table does not allow. */
    public Snapshot transition(Snapshot row, SnapshotStatus to, String error) {
        SnapshotTransitions.require(row.status(), to);
        int changed = jdbc.sql("""
                update snapshot set status = :to, error = :error, version = version + 1, updated_at = :now
                where id = :id and version = :version and status = :from""")
                .param("to", to.id()).param("error", error).param("now", Timestamp.from(clock.instant()))
                .param("id", row.id()).param("version", row.version()).param("from", row.status().id())
                .update();
        if (changed == 0) throw new ConflictException("snapshot " + row.id() + " changed meanwhile; reload and try again");
        return find(row.id()).orElseThrow();
    }

    /** The guest and its disk are gone: so are all its snapshots. Returns how many rows changed. */
    public int forgetAll(long serverId) {
        String[] from = SnapshotTransitions.into(SnapshotStatus.DELETED).stream().map(SnapshotStatus::id).toArray(String[]::new);
        return jdbc.sql("""
                update snapshot set status = 'deleted', version = version + 1, updated_at = :now
                where server_id = :server and status = any(:from)""")
                .param("now", Timestamp.from(clock.instant())).param("server", serverId).param("from", from)
                .update();
    }

    private static Snapshot map(ResultSet rs, int row) throws SQLException {
        return new Snapshot(rs.getLong("id"), rs.getLong("server_id"), rs.getString("name"),
                SnapshotStatus.fromId(rs.getString("status")), rs.getString("error"), rs.getTimestamp("created_at").toInstant(),
                rs.getLong("version"));
    }
}
