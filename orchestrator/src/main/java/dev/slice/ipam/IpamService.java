package dev.slice.ipam;

import dev.slice.error.ValidationException;
import java.sql.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** IPv4 pools per node; one address per server, allocated idempotently. */
@Service
public class IpamService {
    private final JdbcClient jdbc;

    public IpamService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the pool with every usable address except the gateway, unless a pool of that name exists. */
    @Transactional
    public IpPool ensurePool(long nodeId, String name, String network, String gateway, String bridge, List<String> dns) {
        Optional<IpPool> existing = pool(name);
        if (existing.isPresent()) return existing.get();
        int prefix = Integer.parseInt(network.substring(network.indexOf('/') + 1));
        if (prefix < 16 || prefix > 30) throw new ValidationException("network", "use a prefix between /16 and /30");
        long id = jdbc.sql("""
                insert into ip_pool (node_id, name, network, gateway, bridge, dns) values (?, ?, ?::cidr, ?::inet, ?, ?) returning id""")
                .params(nodeId, name, network, gateway, bridge, dns.toArray(String[]::new)).query(Long.class).single();
        // Every host address of the network (not the network and broadcast addresses) except the gateway.
        jdbc.sql("""
                insert into ip_address (pool_id, address)
                select :pool, host(network(:net::cidr) + i)::inet from generate_series(1, (2 ^ (32 - :prefix))::int - 2) as i
                where host(network(:net::cidr) + i) <> host(:gateway::inet)""")
                .param("pool", id).param("net", network).param("prefix", prefix).param("gateway", gateway).update();
        return pool(name).orElseThrow();
    }

    public Optional<IpPool> pool(String name) {
        return jdbc.sql("select * from ip_pool where name = ?").param(name).query(IpamService::map).optional();
    }

    public List<IpPool> pools(long nodeId) {
        return jdbc.sql("select * from ip_pool where node_id = ? order by id").param(nodeId).query(IpamService::map).list();
    }

    /**
     * The server's address: the one it already has (a repeated step gets the same address), or the lowest
     * free one of its node's pools, taken with SKIP LOCKED so concurrent allocations never collide.
     */
    @Transactional
    public Allocation allocate(long serverId, long nodeId) {
        return tryAllocate(serverId, nodeId)
                .orElseThrow(() -> new IllegalStateException("no free IPv4 address left on node " + nodeId));
    }

    /** As {@link #allocate}, but empty when the node's pools are exhausted. */
    @Transactional
    public Optional<Allocation> tryAllocate(long serverId, long nodeId) {
        Optional<Allocation> held = allocationOf(serverId);
        if (held.isPresent()) return held;
        Optional<String> address = jdbc.sql("""
                update ip_address set server_id = :server where (pool_id, address) = (
                  select pool_id, address from ip_address
                  where pool_id in (select id from ip_pool where node_id = :node) and server_id is null
                  order by pool_id, address limit 1 for update skip locked)
                returning host(address)""")
                .param("server", serverId).param("node", nodeId).query(String.class).optional();
        return address.isEmpty() ? Optional.empty() : allocationOf(serverId);
    }

    /**
     * For a server inserted in the caller's transaction: takes the lowest free address and records it on the
     * server row in one statement (orders hold the node lock meanwhile, so every round trip counts). Empty when
     * the node's pools are exhausted.
     */
    @Transactional
    public Optional<String> allocateForNewServer(long serverId, long nodeId) {
        return jdbc.sql("""
                with picked as (
                  update ip_address set server_id = :server where (pool_id, address) = (
                    select pool_id, address from ip_address
                    where pool_id in (select id from ip_pool where node_id = :node) and server_id is null
                    order by pool_id, address limit 1 for update skip locked)
                  returning address)
                update server set ipv4 = (select address from picked) where id = :server and exists (select 1 from picked)
                returning host(ipv4)""")
                .param("server", serverId).param("node", nodeId).query(String.class).optional();
    }

    public Optional<Allocation> allocationOf(long serverId) {
        return jdbc.sql("select host(a.address) as addr, p.* from ip_address a join ip_pool p on p.id = a.pool_id where a.server_id = ?")
                .param(serverId).query((rs, n) -> new Allocation(rs.getString("addr"), map(rs, n))).optional();
    }

    /** Returns the server's address to the pool; releasing twice is harmless. */
    @Transactional
    public void release(long serverId) {
        jdbc.sql("update ip_address set server_id = null where server_id = ?").param(serverId).update();
    }

    public long free(long nodeId) {
        return jdbc.sql("select count(*) from ip_address a join ip_pool p on p.id = a.pool_id where p.node_id = ? and a.server_id is null")
                .param(nodeId).query(Long.class).single();
    }

    private static IpPool map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Array dns = rs.getArray("dns");
        return new IpPool(rs.getLong("id"), rs.getLong("node_id"), rs.getString("name"), rs.getString("network"),
                rs.getString("gateway"), rs.getString("bridge"), dns == null ? List.of() : new ArrayList<>(List.of((String[]) dns.getArray())));
    }
}
