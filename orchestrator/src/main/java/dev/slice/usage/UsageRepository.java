package dev.slice.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Usage's rows: the last readings, the samples, and their hourly and monthly roll-ups (all UTC). */
@Repository
public class UsageRepository {
    private final JdbcClient jdbc;

    public UsageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A server's last reading and when it was taken, locked for the rest of the transaction (none yet: all -1). */
    record Reading(Instant at, Counters counters) {}

    Reading lockReading(long serverId) {
        jdbc.sql("""
                insert into usage_counter (server_id, sampled_at, cpu_time_nanos, disk_read_bytes, disk_write_bytes, net_rx_bytes, net_tx_bytes)
                values (?, 'epoch', -1, -1, -1, -1, -1) on conflict do nothing""").param(serverId).update();
        return jdbc.sql("select * from usage_counter where server_id = ? for update").param(serverId)
                .query((rs, n) -> new Reading(rs.getTimestamp("sampled_at").toInstant(), new Counters(rs.getLong("cpu_time_nanos"),
                        rs.getLong("disk_read_bytes"), rs.getLong("disk_write_bytes"), rs.getLong("net_rx_bytes"), rs.getLong("net_tx_bytes"))))
                .single();
    }

    void saveReading(long serverId, Instant at, Counters c) {
        jdbc.sql("""
                update usage_counter set sampled_at = :at, cpu_time_nanos = :cpu, disk_read_bytes = :dr, disk_write_bytes = :dw,
                  net_rx_bytes = :rx, net_tx_bytes = :tx where server_id = :id""")
                .param("at", Timestamp.from(at)).param("cpu", c.cpuTimeNanos()).param("dr", c.diskReadBytes())
                .param("dw", c.diskWriteBytes()).param("rx", c.netRxBytes()).param("tx", c.netTxBytes()).param("id", serverId).update();
    }

    /** One sample's deltas, added to its hour and month. */
    void record(long serverId, Instant at, Counters d, long memoryBytes) {
        Instant hour = at.truncatedTo(ChronoUnit.HOURS);
        LocalDate month = YearMonth.from(at.atZone(ZoneOffset.UTC)).atDay(1);
        jdbc.sql("""
                insert into usage_sample (server_id, sampled_at, cpu_time_nanos, memory_bytes, disk_read_bytes, disk_write_bytes, net_rx_bytes, net_tx_bytes)
                values (:id, :at, :cpu, :mem, :dr, :dw, :rx, :tx)""")
                .param("id", serverId).param("at", Timestamp.from(at)).param("cpu", d.cpuTimeNanos()).param("mem", memoryBytes)
                .param("dr", d.diskReadBytes()).param("dw", d.diskWriteBytes()).param("rx", d.netRxBytes()).param("tx", d.netTxBytes())
                .update();
        jdbc.sql("""
                insert into usage_hour (server_id, hour, samples, cpu_time_nanos, memory_max_bytes, disk_read_bytes, disk_write_bytes, net_rx_bytes, net_tx_bytes)
                values (:id, :hour, 1, :cpu, :mem, :dr, :dw, :rx, :tx)
                on conflict (server_id, hour) do update set samples = usage_hour.samples + 1,
                  cpu_time_nanos = usage_hour.cpu_time_nanos + excluded.cpu_time_nanos,
                  memory_max_bytes = greatest(usage_hour.memory_max_bytes, excluded.memory_max_bytes),
                  disk_read_bytes = usage_hour.disk_read_bytes + excluded.disk_read_bytes,
                  disk_write_bytes = usage_hour.disk_write_bytes + excluded.disk_write_bytes,
                  net_rx_bytes = usage_hour.net_rx_bytes + excluded.net_rx_bytes, net_tx_bytes = usage_hour.net_tx_bytes + excluded.net_tx_bytes""")
                .param("id", serverId).param("hour", Timestamp.from(hour)).param("cpu", d.cpuTimeNanos()).param("mem", memoryBytes)
                .param("dr", d.diskReadBytes()).param("dw", d.diskWriteBytes()).param("rx", d.netRxBytes()).param("tx", d.netTxBytes())
                .update();
        jdbc.sql("""
                insert into usage_month (server_id, month, net_rx_bytes, net_tx_bytes) values (:id, :month, :rx, :tx)
                on conflict (server_id, month) do update set net_rx_bytes = usage_month.net_rx_bytes + excluded.net_rx_bytes,
                  net_tx_bytes = usage_month.net_tx_bytes + excluded.net_tx_bytes""")
                .param("id", serverId).param("month", month).param("rx", d.netRxBytes()).param("tx", d.netTxBytes()).update();
    }

    /** Samples older than {@code before} go; their hours and months stay. */
    int prune(Instant before) {
        return jdbc.sql("delete from usage_sample where sampled_at < ?").param(Timestamp.from(before)).update();
    }

    /** A server's traffic in a UTC calendar month so far (zero before its first sample). */
    public Traffic month(long serverId, YearMonth month) {
        return jdbc.sql("select net_rx_bytes, net_tx_bytes from usage_month where server_id = ? and month = ?")
                .params(serverId, month.atDay(1)).query((rs, n) -> new Traffic(rs.getLong(1), rs.getLong(2))).optional()
                .orElse(new Traffic(0, 0));
    }

    /** The month's traffic per UTC day that had samples, in order. */
    public List<DayTraffic> days(long serverId, YearMonth month) {
        return jdbc.sql("""
                select (hour at time zone 'UTC')::date as day, sum(net_rx_bytes) as rx, sum(net_tx_bytes) as tx from usage_hour
                where server_id = ? and hour >= ? and hour < ? group by 1 order by 1""")
                .params(serverId, start(month), start(month.plusMonths(1)))
                .query((rs, n) -> new DayTraffic(rs.getObject("day", LocalDate.class), rs.getLong("rx"), rs.getLong("tx"))).list();
    }

    /** Samples in [from, to), in order: the last hour's graph. */
    public List<UsagePoint> samples(long serverId, Instant from, Instant to) {
        return jdbc.sql("""
                select sampled_at as at, 1 as samples, cpu_time_nanos, memory_bytes as memory, disk_read_bytes, disk_write_bytes,
                  net_rx_bytes, net_tx_bytes from usage_sample where server_id = ? and sampled_at >= ? and sampled_at < ? order by 1""")
                .params(serverId, Timestamp.from(from), Timestamp.from(to)).query(UsageRepository::point).list();
    }

    /** Hourly roll-ups in [from, to), in order: the last day's and month's graphs. */
    public List<UsagePoint> hours(long serverId, Instant from, Instant to) {
        return jdbc.sql("""
                select hour as at, samples, cpu_time_nanos, memory_max_bytes as memory, disk_read_bytes, disk_write_bytes,
                  net_rx_bytes, net_tx_bytes from usage_hour where server_id = ? and hour >= ? and hour < ? order by 1""")
                .params(serverId, Timestamp.from(from), Timestamp.from(to)).query(UsageRepository::point).list();
    }

    private static UsagePoint point(ResultSet rs, int n) throws SQLException {
        return new UsagePoint(rs.getTimestamp("at").toInstant(), rs.getInt("samples"), rs.getLong("cpu_time_nanos"),
                rs.getLong("memory"), rs.getLong("disk_read_bytes"), rs.getLong("disk_write_bytes"), rs.getLong("net_rx_bytes"),
                rs.getLong("net_tx_bytes"));
    }

    private static Timestamp start(YearMonth month) {
        return Timestamp.from(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
