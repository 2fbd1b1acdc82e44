package dev.slice.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.Capacity;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import dev.slice.ipam.IpamService;
import dev.slice.job.Job;
import dev.slice.job.JobQueue;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.placement.NoCapacityException;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One process that is control plane and agent of node {@code local}: a job of another node is not its to run and waits
 * (never fails); a node whose heartbeats stopped is marked unreachable with its servers' power unknown and gets no new
 * orders; its next heartbeat makes it online again. Nodes added for agents carry a credential stored only as a hash.
 */
@SliceSpringTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeScopeAndLivenessTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired NodeService nodes;
    @Autowired NodeAgent agent;
    @Autowired NodeLiveness liveness;
    @Autowired IpamService ipam;
    @Autowired DriverRegistry registry;
    @Autowired JobQueue queue;
    @Autowired JobWorker worker;
    @Autowired JdbcClient jdbc;

    @AfterEach
    void localTakesOrdersAgain() {
        jdbc.sql("update node set enabled = (name = 'local')").update();
    }

    @Test
    void theSingleHostIsItsOwnNodesAgentAndOnline() {
        Actor operator = Tenants.operator(accounts);
        long local = nodes.findByName("local").orElseThrow().id();
        NodeView view = nodes.get(operator, local);
        assertThat(view.agent().state()).isEqualTo(AgentState.ONLINE);
        assertThat(view.agent().lastSeen()).isNotNull();
        assertThat(view.agent().hasCredential()).as("a single host needs no credential").isFalse();
        assertThat(agent.servedNodes()).containsExactly(local);
        assertThat(view.backends()).extracting(NodeBackend::backend).contains("oci");
    }

    @Test
    void anAddedNodeHasACredentialShownOnceAndStoredAsItsHash() {
        Actor operator = Tenants.operator(accounts);
        NewNode added = nodes.add(operator, "n-cred");
        assertThat(added.credential()).startsWith("slnode_").hasSizeGreaterThan(40);
        assertThat(added.node().agent().state()).isEqualTo(AgentState.AWAITING);
        assertThat(added.node().agent().hasCredential()).isTrue();
        String stored = jdbc.sql("select credential_hash from node_agent where node_id = ?").param(added.node().node().id())
                .query(String.class).single();
        assertThat(stored).isEqualTo(NodeCredentials.hash(added.credential())).doesNotContain(added.credential());
        NewNode rotated = nodes.newCredential(operator, added.node().node().id());
        assertThat(rotated.credential()).isNotEqualTo(added.credential());
        assertThat(jdbc.sql("select credential_hash from node_agent where node_id = ?").param(added.node().node().id())
                .query(String.class).single()).isEqualTo(NodeCredentials.hash(rotated.credential()));

        assertThatThrownBy(() -> nodes.add(operator, "n-cred")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> nodes.add(operator, "Bad Name")).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("name");
        Actor customer = Tenants.customer(accounts, operator, "nodecust");
        assertThatThrownBy(() -> nodes.add(customer, "n-other")).isInstanceOf(dev.slice.error.ForbiddenException.class);
    }

    @Test
    void aJobOfANodeWithoutALiveAgentWaitsInsteadOfFailing() {
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "waiter");
        Plan plan = Tenants.plan(plans, operator, "wait-plan", 1, 256, 1024);
        long n2 = remoteNode(operator, "n-wait", "10.79.20.0/24");
        jdbc.sql("update node set enabled = (name = 'n-wait')").update();

        long jobId = orders.order(customer, new OrderRequest(plan.id(), "waits1", "debian-12", "Correct-Horse-42", List.of(), null)).jobId();
        assertThat(jdbc.sql("select node_id from job where id = ?").param(jobId).query(Long.class).single()).isEqualTo(n2);
        for (int i = 0; i < 3; i++) assertThat(worker.runDue()).as("not this process's node").isZero();
        Job job = queue.find(jobId).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(job.error()).isNull();
    }

    @Test
    void aNodeThatMissedItsHeartbeatsIsUnreachableAndOnlineAgainAtItsNextOne() {
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "lost");
        Plan plan = Tenants.plan(plans, operator, "lost-plan", 1, 256, 1024);
        long local = nodes.findByName("local").orElseThrow().id();
        long serverId = orders.order(customer, new OrderRequest(plan.id(), "lost1", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        jdbc.sql("update server set power_state = 'running' where id = ?").param(serverId).update();

        // The heartbeat is an hour old: three missed intervals of 1 h (this test's interval) and then some.
        jdbc.sql("update node_agent set heartbeat_at = statement_timestamp() - interval '4 hours' where node_id = ?").param(local).update();
        List<NodeLiveness.Lost> lost = liveness.sweep();
        assertThat(lost).extracting(NodeLiveness.Lost::name).containsExactly("local");
        assertThat(liveness.sweep()).as("marked once").isEmpty();
        NodeView view = nodes.get(operator, local);
        assertThat(view.agent().state()).isEqualTo(AgentState.UNREACHABLE);
        assertThat(view.agent().lastSeen()).isEqualTo(lost.getFirst().lastSeen());
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.UNKNOWN);
        assertThatThrownBy(() -> orders.order(customer, new OrderRequest(plan.id(), "lost2", "debian-12", "Correct-Horse-42",
                List.of(), null))).as("no orders for an unreachable node").isInstanceOf(NoCapacityException.class);

        agent.beat();
        view = nodes.get(operator, local);
        assertThat(view.agent().state()).isEqualTo(AgentState.ONLINE);
        assertThat(view.agent().lastSeen()).isAfter(lost.getFirst().lastSeen());
        assertThat(jdbc.sql("select count(*) from audit_log where action in ('node.unreachable', 'node.reachable') and target_id = ?")
                .param(String.valueOf(local)).query(Long.class).single()).isEqualTo(2);
    }

    /** A node as an operator adds it, as its agent would register it (this host's probes), with a pool of its own. */
    private long remoteNode(Actor operator, String name, String network) {
        long id = nodes.add(operator, name).node().node().id();
        nodes.fillCapacity(id, new Capacity(4, 8192, 102_400));
        nodes.recordProbes(id, registry.statuses());
        String gateway = network.replace("0/24", "1");
        ipam.ensurePool(id, name + "-default", network, gateway, "br-" + name, List.of());
        return id;
    }
}
