package dev.slice.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.BackendKind;
import dev.slice.ipam.IpamService;
import dev.slice.node.NodeService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.quota.Quotas;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the nodes can hold, on real PostgreSQL, with one node of its own group ("cap": 4 CPUs at 4.0, 8 GiB at 1.0,
 * offering OCI, not Xen): a plan no node could ever hold is named with the largest node's figures; a deleting server's
 * room is free for the next order; a full node's refusal names the short resource for the seller and says only "not
 * available" to the customer; backends no node offers are listed with the probe's reason.
 */
@SliceSpringTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanCapacityTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired NodeService nodes;
    @Autowired IpamService ipam;
    @Autowired PlanCapacity capacity;
    @Autowired JdbcClient jdbc;

    Actor operator;
    long node;

    @BeforeAll
    void oneNodeInItsOwnGroup() {
        operator = Tenants.operator(accounts);
        node = jdbc.sql("insert into node (name, cpus, memory_mib, disk_mib, created_at) values ('cap-1', 4, 8192, 1000000, now()) returning id")
                .query(Long.class).single();
        jdbc.sql("insert into node_backend (node_id, backend, driver_name, available, probed_at) values (?, 'oci', 'runc', true, now())")
                .param(node).update();
        jdbc.sql("""
                insert into node_backend (node_id, backend, driver_name, available, detail, probed_at)
                values (?, 'xen', 'libvirt-xen', false, 'not a Xen host', now())""").param(node).update();
        ipam.ensurePool(node, "cap-1-pool", "10.254.90.0/26", "10.254.90.1", "br-cap-1", List.of());
        nodes.setPlacement(operator, node, "cap", false);
    }

    /** The node drains afterwards, so other classes' orders never land on it. */
    @AfterAll
    void drain() {
        nodes.setPlacement(operator, node, "cap", true);
    }

    @Test
    void aPlanNoNodeCouldEverHoldIsNamedWithTheLargestNodesFigures() {
        assertThat(capacity.neverPlaceable("oci", "cap", new Demand(16, 64 * 1024, 10_000)))
                .hasValueSatisfying(why -> assertThat(why).contains("the largest, cap-1, holds at most 16 vCPUs, 8192 MiB memory"));
        assertThat(capacity.neverPlaceable("oci", "cap", new Demand(16, 8192, 10_000))).as("fits when the node is empty").isEmpty();
        assertThat(capacity.neverPlaceable("qemu", "cap", new Demand(1, 256, 1000))).hasValue("no node in group cap offers the qemu backend");
    }

    @Test
    void aDeletingServersRoomIsFreeForTheNextOrderAndAFullNodeNamesTheShortResource() {
        Actor customer = Tenants.customer(accounts, operator, "capfull");
        Plan big = plans.pinToNodeGroup(operator, Tenants.plan(plans, operator, "cap-big", 2, 6000, 10_000).id(), "cap");
        long first = order(customer, big, "first");
        assertThat(capacity.placeableNow("oci", "cap", demand(big))).as("full after one").isFalse();

        // The customer deletes it: its destroy job is under way; the next order must not wait for it.
        jdbc.sql("update server set status = 'deleting' where id = ?").param(first).update();
        assertThat(capacity.placeableNow("oci", "cap", demand(big))).isTrue();
        order(customer, big, "second");

        assertThatThrownBy(() -> orders.order(operator, request(big, "third", customer.accountId())))
                .isInstanceOf(NoCapacityException.class)
                .hasMessageContaining("short of memory on node cap-1: 2192 MiB free of 8192 MiB, the plan needs 6000 MiB")
                .hasMessageNotContaining("vCPUs free");
        assertThatThrownBy(() -> order(customer, big, "third")).as("the customer reads no node figures")
                .isInstanceOf(NoCapacityException.class).hasMessageEndingWith(": " + Quotas.NOT_AVAILABLE).hasMessageNotContaining("cap-1");
    }

    @Test
    void backendsNoNodeOffersAreMissingWithTheProbesReason() {
        assertThat(capacity.offeredBackends()).contains(BackendKind.OCI).doesNotContain(BackendKind.XEN);
        assertThat(capacity.missingBackends()).containsKey(BackendKind.XEN).doesNotContainKey(BackendKind.OCI);
        assertThat(capacity.missingBackends().get(BackendKind.XEN)).contains("not a Xen host");
    }

    private static Demand demand(Plan plan) {
        return new Demand(plan.vcpus(), plan.memoryMiB(), plan.diskMiB());
    }

    private long order(Actor customer, Plan plan, String hostname) {
        return orders.order(customer, request(plan, hostname, null)).serverId();
    }

    private static OrderRequest request(Plan plan, String hostname, Long ownerId) {
        return new OrderRequest(plan.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), ownerId, null);
    }
}
