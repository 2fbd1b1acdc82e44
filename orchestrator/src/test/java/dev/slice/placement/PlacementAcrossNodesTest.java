package dev.slice.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ValidationException;
import dev.slice.ipam.IpamService;
import dev.slice.node.NodeService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Placement over several nodes on real PostgreSQL (node rows with their OCI backend and address pools, no agents):
 * node groups that plans are pinned to, a draining node, a customer's servers spread over the nodes and kept apart
 * when asked, and 100 concurrent orders over three nodes that never overcommit any of them.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlacementAcrossNodesTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired NodeService nodes;
    @Autowired IpamService ipam;
    @Autowired JdbcClient jdbc;

    Actor operator;
    long fra1;
    long fra2;
    long ams1;
    int subnet = 40;

    @BeforeAll
    void threeNodesInTwoGroups() {
        operator = Tenants.operator(accounts);
        // The test application's own node stays out of the way: it drains.
        for (var node : nodes.list(operator)) nodes.setPlacement(operator, node.node().id(), node.node().nodeGroup(), true);
        fra1 = node("fra-1", "fra");
        fra2 = node("fra-2", "fra");
        ams1 = node("ams-1", "ams");
    }

    @Test
    void aPlanPinnedToAGroupPlacesOnlyThere() {
        Plan plan = plans.pinToNodeGroup(operator, Tenants.plan(plans, operator, "ams-only", 1, 256, 1024).id(), "ams");
        assertThat(plan.nodeGroup()).isEqualTo("ams");
        Actor customer = Tenants.customer(accounts, operator, "pinned");
        for (int i = 0; i < 3; i++) assertThat(nodeOf(order(customer, plan, "pin" + i, null))).isEqualTo(ams1);
    }

    @Test
    void aPinToAGroupWithoutNodesOrABadNameIsRefusedNamingTheField() {
        long planId = Tenants.plan(plans, operator, "nowhere", 1, 256, 1024).id();
        assertThatThrownBy(() -> plans.pinToNodeGroup(operator, planId, "mars"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field()).isEqualTo("nodeGroup")));
        assertThatThrownBy(() -> plans.pinToNodeGroup(operator, planId, "Not A Group!"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("nodeGroup"));
        assertThat(plans.find(planId).orElseThrow().nodeGroup()).as("nothing changed").isNull();
    }

    @Test
    void aCustomersServersSpreadOverTheNodesAndCanBeKeptApartWhenAsked() {
        Plan plan = plans.pinToNodeGroup(operator, Tenants.plan(plans, operator, "fra-small", 1, 256, 1024).id(), "fra");
        Actor customer = Tenants.customer(accounts, operator, "spread");
        long first = nodeOf(order(customer, plan, "web1", true));
        long second = nodeOf(order(customer, plan, "web2", true));
        assertThat(List.of(first, second)).as("kept apart, one per node of the group").containsExactlyInAnyOrder(fra1, fra2);

        assertThatThrownBy(() -> order(customer, plan, "web3", true)).isInstanceOf(NoCapacityException.class)
                .hasMessageContaining("without another of your servers");
        assertThat(nodeOf(order(customer, plan, "web3", null))).as("without the request it goes beside one of them")
                .isIn(fra1, fra2);
    }

    @Test
    void aDrainingNodeTakesNoNewServers() {
        nodes.setPlacement(operator, fra2, "fra", true);
        try {
            Plan plan = plans.pinToNodeGroup(operator, Tenants.plan(plans, operator, "fra-drain", 1, 256, 1024).id(), "fra");
            Actor customer = Tenants.customer(accounts, operator, "drained");
            for (int i = 0; i < 3; i++) assertThat(nodeOf(order(customer, plan, "d" + i, null))).isEqualTo(fra1);
            assertThat(nodes.get(operator, fra2).node().draining()).isTrue();
        } finally {
            nodes.setPlacement(operator, fra2, "fra", false);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // last (the others have the default order): it fills the nodes
    void aHundredConcurrentOrdersOverThreeNodesNeverOvercommitAny() throws Exception {
        // 1000 MiB each; the three nodes hold 8 each (8192 MiB at 1.0) minus what the other tests placed.
        Plan plan = Tenants.plan(plans, operator, "gig", 1, 1000, 1000);
        List<Actor> customers = new ArrayList<>();
        for (int i = 0; i < 100; i++) customers.add(Tenants.customer(accounts, operator, "crowd" + i));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (Actor customer : customers) {
            outcomes.add(pool.submit(() -> {
                go.await();
                try {
                    order(customer, plan, "box", null);
                    return true;
                } catch (NoCapacityException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int placed = 0;
        for (Future<Boolean> outcome : outcomes) if (outcome.get(120, TimeUnit.SECONDS)) placed++;
        pool.shutdown();

        Map<Long, long[]> used = jdbc.sql("""
                select n.id, n.memory_mib * n.memory_overcommit as mem_limit, coalesce(sum(s.memory_mib), 0) as mem,
                       n.cpus * n.cpu_overcommit as cpu_limit, coalesce(sum(s.vcpus), 0) as cpu
                from node n left join server s on s.node_id = n.id and s.status <> 'deleted'
                where n.id in (:ids) group by n.id""").param("ids", List.of(fra1, fra2, ams1))
                .query((rs, row) -> Map.entry(rs.getLong("id"), new long[] {(long) rs.getDouble("mem_limit"), rs.getLong("mem"),
                        (long) rs.getDouble("cpu_limit"), rs.getLong("cpu")}))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(used.values()).allSatisfy(u -> {
            assertThat(u[1]).as("memory within the node's limit").isLessThanOrEqualTo(u[0]);
            assertThat(u[3]).as("vCPUs within the node's limit").isLessThanOrEqualTo(u[2]);
            assertThat(u[0] - u[1]).as("the node is full: less than one more server's memory is left").isLessThan(1000);
        });
        long gigs = jdbc.sql("select count(*) from server where plan_id = ?").param(plan.id()).query(Long.class).single();
        assertThat(gigs).as("every placed order is one server, every refused one none").isEqualTo(placed);
        assertThat(placed).as("some fit, the rest were refused").isBetween(1, 99);
    }

    private long order(Actor customer, Plan plan, String hostname, Boolean separate) {
        return orders.order(customer, new OrderRequest(plan.id(), hostname, "debian-12", "Correct-Horse-42", List.of(), null, separate))
                .serverId();
    }

    private long nodeOf(long serverId) {
        return jdbc.sql("select node_id from server where id = ?").param(serverId).query(Long.class).single();
    }

    /** A node of 4 CPUs (at 4.0) and 8 GiB (at 1.0) offering OCI, with a /26 of test-only addresses nobody routes. */
    private long node(String name, String group) {
        long id = jdbc.sql("insert into node (name, cpus, memory_mib, disk_mib, created_at) values (?, 4, 8192, 1000000, now()) returning id")
                .param(name).query(Long.class).single();
        jdbc.sql("insert into node_backend (node_id, backend, driver_name, available, probed_at) values (?, 'oci', 'runc', true, now())")
                .param(id).update();
        String net = "10.254." + subnet++ + ".";
        ipam.ensurePool(id, name + "-pool", net + "0/26", net + "1", "br-" + name, List.of());
        nodes.setPlacement(operator, id, group, false);
        return id;
    }
}
