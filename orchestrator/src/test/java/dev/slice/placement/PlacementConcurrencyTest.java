package dev.slice.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Many customers order at the same moment for the last slots of the only node (4 CPUs at 4.0, 8192 MiB at
 * 1.0): the node row lock makes exactly as many orders succeed as fit, and the rest get "no capacity".
 */
@SliceSpringTest
class PlacementConcurrencyTest {
    private static final int ORDERS = 24;

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired JdbcClient jdbc;

    @Test
    void concurrentOrdersNeverOvercommitPastTheNodesRatios() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Plan plan = plans.create(operator, new PlanRequest("gig", "oci", 1, 1000, 1000, 0, 100));
        List<Actor> customers = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) customers.add(Tenants.customer(accounts, operator, "buyer" + i));

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(ORDERS);
        List<Future<String>> outcomes = new ArrayList<>();
        for (Actor customer : customers) {
            outcomes.add(pool.submit(() -> {
                go.await();
                try {
                    orders.order(customer, new OrderRequest(plan.id(), "box", "debian-12", "Correct-Horse-42", List.of(), null));
                    return "placed";
                } catch (NoCapacityException e) {
                    return "full";
                }
            }));
        }
        go.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) results.add(outcome.get(60, TimeUnit.SECONDS));
        pool.shutdown();

        // 8 x 1000 MiB fit into 8192 MiB; the 9th would need 9000.
        assertThat(results).filteredOn("placed"::equals).hasSize(8);
        assertThat(results).filteredOn("full"::equals).hasSize(ORDERS - 8);
        var used = jdbc.sql("""
                select n.memory_mib * n.memory_overcommit as mem_limit, n.cpus * n.cpu_overcommit as cpu_limit,
                       sum(s.memory_mib) as mem, sum(s.vcpus) as cpu, count(*) as servers
                from server s join node n on n.id = s.node_id where s.status <> 'deleted' group by n.id""")
                .query((rs, row) -> new double[] {rs.getDouble("mem_limit"), rs.getDouble("mem"), rs.getDouble("cpu_limit"),
                        rs.getDouble("cpu"), rs.getDouble("servers")}).single();
        assertThat(used[1]).isLessThanOrEqualTo(used[0]);
        assertThat(used[3]).isLessThanOrEqualTo(used[2]);
        assertThat(used[4]).isEqualTo(8);
        assertThat(jdbc.sql("select count(*) from job where kind = 'create'").query(Long.class).single()).isEqualTo(8);
    }
}
