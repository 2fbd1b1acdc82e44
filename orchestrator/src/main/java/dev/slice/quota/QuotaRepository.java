package dev.slice.quota;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Customers' limits (account_limits) and what live servers hold, per seller or per customer. */
@Repository
public class QuotaRepository {
    /** Live servers with their sizes and their address (at most one per server, so the join counts each once). */
    private static final String USAGE = """
            select count(*) as servers, coalesce(sum(s.vcpus), 0) as vcpus, coalesce(sum(s.memory_mib), 0) as memory,
                   coalesce(sum(s.disk_mib), 0) as disk, count(a.server_id) as ipv4
            from server s left join ip_address a on a.server_id = s.id""";

    private final JdbcClient jdbc;

    QuotaRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What the seller's plans have sold: its customers' live servers (and its own, ordered on its plans). */
    Usage soldBy(long sellerId) {
        return jdbc.sql(USAGE + " join plan p on p.id = s.plan_id where p.owner_id = ? and s.status <> 'deleted'").param(sellerId)
                .query(QuotaRepository::usage).single();
    }

    Usage heldBy(long accountId) {
        return jdbc.sql(USAGE + " where s.owner_id = ? and s.status <> 'deleted'").param(accountId).query(QuotaRepository::usage).single();
    }

    /**
     * Locks the account's row: a seller's orders wait for each other here (the same lock the order path has always taken,
     * and account deletion takes), so each counts what the one before it sold.
     */
    void lockAccount(long accountId) {
        jdbc.sql("select id from account where id = ? for update").param(accountId).query(Long.class).single();
    }

    Optional<Quota> limitsOf(long accountId) {
        return jdbc.sql("select * from account_limits where account_id = ?").param(accountId).query(QuotaRepository::quota).optional();
    }

    /** The customer's limits, its row locked until the transaction ends: its concurrent orders count each other. */
    Optional<Quota> lockLimits(long accountId) {
        return jdbc.sql("select * from account_limits where account_id = ? for update").param(accountId)
                .query(QuotaRepository::quota).optional();
    }

    /** Replaces the limits; unlimited in every resource removes the row. */
    void saveLimits(long accountId, Quota limits) {
        if (limits.equals(Quota.UNLIMITED)) {
            jdbc.sql("delete from account_limits where account_id = ?").param(accountId).update();
            return;
        }
        jdbc.sql("""
                insert into account_limits (account_id, max_servers, max_vcpus, max_memory_mib, max_disk_mib, max_ipv4_addresses)
                values (:id, :servers, :vcpus, :memory, :disk, :ipv4)
                on conflict (account_id) do update set max_servers = excluded.max_servers, max_vcpus = excluded.max_vcpus,
                  max_memory_mib = excluded.max_memory_mib, max_disk_mib = excluded.max_disk_mib,
                  max_ipv4_addresses = excluded.max_ipv4_addresses""")
                .param("id", accountId).param("servers", limits.maxServers(), Types.INTEGER)
                .param("vcpus", limits.maxVcpus(), Types.INTEGER).param("memory", limits.maxMemoryMiB(), Types.BIGINT)
                .param("disk", limits.maxDiskMiB(), Types.BIGINT).param("ipv4", limits.maxIpv4Addresses(), Types.INTEGER)
                .update();
    }

    private static Usage usage(ResultSet rs, int row) throws SQLException {
        return new Usage(rs.getLong("servers"), rs.getLong("vcpus"), rs.getLong("memory"), rs.getLong("disk"), rs.getLong("ipv4"));
    }

    private static Quota quota(ResultSet rs, int row) throws SQLException {
        return new Quota(rs.getObject("max_servers", Integer.class), rs.getObject("max_vcpus", Integer.class),
                rs.getObject("max_memory_mib", Long.class), rs.getObject("max_disk_mib", Long.class),
                rs.getObject("max_ipv4_addresses", Integer.class));
    }
}
