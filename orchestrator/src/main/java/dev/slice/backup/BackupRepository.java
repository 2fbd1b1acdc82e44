package dev.slice.backup;

import dev.slice.error.ConflictException;
import dev.slice.server.ServerRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Backup rows and schedules; every backup status change is compare-and-set on {@code version}, checked against the table. */
@Repository
public class BackupRepository {
    private final JdbcClient jdbc;
    private final Clock clock;

    public BackupRepository(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new backup of the server as it is now, CREATING. */
    long insert(ServerRow server, String name, BackupTrigger trigger, Instant expiresAt, Long createdBy) {
        Timestamp now = Timestamp.from(clock.instant());
        return jdbc.sql("""
                insert into backup (server_id, owner_id, node_id, backend, template, name, trigger, status, expires_at,
                                    created_by, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, 'creating', ?, ?, ?, ?) returning id""")
                .params(server.id(), server.ownerId(), server.nodeId(), server.backend(), server.template(), name, trigger.id(),
                        expiresAt == null ? null : Timestamp.from(expiresAt), createdBy, now, now)
                .query(Long.class).single();
    }

    public Optional<Backup> find(long id) {
        return jdbc.sql("select * from backup where id = ?").param(id).query(BackupRepository::map).optional();
    }

    /** The server's backups that are not deleted, newest first. */
    public List<Backup> ofServer(long serverId) {
        return jdbc.sql("select * from backup where server_id = ? and status <> 'deleted' order by id desc")
                .param(serverId).query(BackupRepository::map).list();
    }

    /** An owner's ready backups of every server, newest first (for a restore into another server). */
    List<Backup> readyOfOwner(long ownerId) {
        return jdbc.sql("select * from backup where owner_id = ? and status = 'ready' order by id desc")
                .param(ownerId).query(BackupRepository::map).list();
    }

    /** The owner's reseller (or null), for the access rule. */
    Long ownerParentId(long ownerId) {
        return jdbc.sql("select parent_id from account where id = ?").param(ownerId).query(Long.class).optional().orElse(null);
    }

    /** Records the written archive (the step that wrote it repeats this when it runs again). */
    void recordWritten(long id, String archive, long sizeBytes, String sha256) {
        jdbc.sql("update backup set archive = ?, size_bytes = ?, sha256 = ?, updated_at = ? where id = ? and status = 'creating'")
                .params(archive, sizeBytes, sha256, Timestamp.from(clock.instant()), id).update();
    }

    /** Moves the backup on from the status it had at its version; refuses what the table does not allow. */
    public Backup transition(Backup row, BackupStatus to, String error) {
        BackupTransitions.require(row.status(), to);
        int changed = jdbc.sql("""
                update backup set status = :to, error = :error, version = version + 1, updated_at = :now
                where id = :id and version = :version and status = :from""")
                .param("to", to.id()).param("error", error).param("now", Timestamp.from(clock.instant()))
                .param("id", row.id()).param("version", row.version()).param("from", row.status().id())
                .update();
        if (changed == 0) throw new ConflictException("backup " + row.id() + " changed meanwhile; reload and try again");
        return find(row.id()).orElseThrow();
    }

    /** The server's ready scheduled backups beyond the newest {@code keep}: what its schedule no longer keeps. */
    List<Backup> scheduledBeyond(long serverId, int keep) {
        return jdbc.sql("""
                select * from backup where server_id = ? and trigger = 'scheduled' and status = 'ready'
                order by id desc offset ?""").params(serverId, keep).query(BackupRepository::map).list();
    }

    /** Backups whose retention has ended (ready or failed ones; a delete is not already under way). */
    List<Backup> expired(Instant now) {
        return jdbc.sql("select * from backup where status in ('ready', 'failed') and expires_at <= ? order by id")
                .param(Timestamp.from(now)).query(BackupRepository::map).list();
    }

    boolean anyExpired(Instant now) {
        return jdbc.sql("select exists (select 1 from backup where status in ('ready', 'failed') and expires_at <= ?)")
                .param(Timestamp.from(now)).query(Boolean.class).single();
    }

    /**
     * The server is deleted: its manual backups now end {@code keepFor} from now (scheduled ones keep their own end),
     * and its schedule goes. Idempotent.
     */
    void serverDeleted(long serverId, Instant manualExpiry) {
        jdbc.sql("""
                update backup set expires_at = ?, updated_at = ?
                where server_id = ? and trigger = 'manual' and expires_at is null and status <> 'deleted'""")
                .params(Timestamp.from(manualExpiry), Timestamp.from(clock.instant()), serverId).update();
        jdbc.sql("delete from backup_schedule where server_id = ?").param(serverId).update();
    }

    // --- schedules

    public Optional<BackupSchedule> schedule(long serverId) {
        return jdbc.sql("select * from backup_schedule where server_id = ?").param(serverId)
                .query(BackupRepository::mapSchedule).optional();
    }

    void saveSchedule(BackupSchedule schedule) {
        jdbc.sql("""
                insert into backup_schedule (server_id, frequency, retention, next_run_at, updated_at) values (?, ?, ?, ?, ?)
                on conflict (server_id) do update
                set frequency = excluded.frequency, retention = excluded.retention, next_run_at = excluded.next_run_at,
                    updated_at = excluded.updated_at""")
                .params(schedule.serverId(), schedule.frequency().id(), schedule.retention(),
                        Timestamp.from(schedule.nextRunAt()), Timestamp.from(clock.instant()))
                .update();
    }

    void deleteSchedule(long serverId) {
        jdbc.sql("delete from backup_schedule where server_id = ?").param(serverId).update();
    }

    /** The servers whose schedule is due, earliest first. */
    List<Long> due(Instant now, int max) {
        return jdbc.sql("select server_id from backup_schedule where next_run_at <= ? order by next_run_at, server_id limit ?")
                .params(Timestamp.from(now), max).query(Long.class).list();
    }

    /** The schedule, locked for this transaction: a second scheduler waits, then finds it moved on. */
    Optional<BackupSchedule> lockSchedule(long serverId) {
        return jdbc.sql("select * from backup_schedule where server_id = ? for update").param(serverId)
                .query(BackupRepository::mapSchedule).optional();
    }

    boolean anyDue(Instant now) {
        return jdbc.sql("select exists (select 1 from backup_schedule where next_run_at <= ?)")
                .param(Timestamp.from(now)).query(Boolean.class).single();
    }

    void moveNextRun(long serverId, Instant next) {
        jdbc.sql("update backup_schedule set next_run_at = ?, updated_at = ? where server_id = ?")
                .params(Timestamp.from(next), Timestamp.from(clock.instant()), serverId).update();
    }

    /** The plan's default schedule for its new servers, if it has one. */
    Optional<BackupSchedule> planDefault(long planId, long serverId, Instant now) {
        return planRule(planId).map(rule -> new BackupSchedule(serverId, rule.frequency(), rule.retention(),
                now.plus(rule.frequency().period())));
    }

    Optional<ScheduleRule> planRule(long planId) {
        return jdbc.sql("select backup_frequency, backup_retention from plan where id = ? and backup_frequency is not null")
                .param(planId).query((rs, n) -> new ScheduleRule(BackupFrequency.parse(rs.getString(1)).orElseThrow(), rs.getInt(2)))
                .optional();
    }

    /** null: no default. */
    void setPlanDefault(long planId, ScheduleRule rule) {
        jdbc.sql("update plan set backup_frequency = ?, backup_retention = ? where id = ?")
                .params(rule == null ? null : rule.frequency().id(), rule == null ? null : rule.retention(), planId).update();
    }

    private static Backup map(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        Long size = rs.getObject("size_bytes", Long.class);
        return new Backup(rs.getLong("id"), rs.getLong("server_id"), rs.getLong("owner_id"), rs.getLong("node_id"),
                rs.getString("backend"), rs.getString("template"), rs.getString("name"),
                BackupTrigger.fromId(rs.getString("trigger")), BackupStatus.fromId(rs.getString("status")),
                rs.getString("archive"), size, rs.getString("sha256"), rs.getString("error"),
                expires == null ? null : expires.toInstant(), rs.getTimestamp("created_at").toInstant(), rs.getLong("version"));
    }

    private static BackupSchedule mapSchedule(ResultSet rs, int row) throws SQLException {
        return new BackupSchedule(rs.getLong("server_id"), BackupFrequency.parse(rs.getString("frequency")).orElseThrow(),
                rs.getInt("retention"), rs.getTimestamp("next_run_at").toInstant());
    }
}
