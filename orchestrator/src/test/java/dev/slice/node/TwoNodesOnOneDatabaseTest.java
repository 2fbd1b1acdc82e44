package dev.slice.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.driver.registry.DriverSource;
import dev.slice.job.Job;
import dev.slice.job.JobQueue;
import dev.slice.job.JobStatus;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.Tenants;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two Slice processes in one JVM on one database: a control plane that is also the agent of node {@code local}, and a
 * node agent of a second node {@code n2} (both on runc here, each with its own data and run directories, bridge and
 * pool). An order placed on n2 is provisioned by n2's worker, never the control plane's; with n2's agent stopped, n2
 * turns unreachable after its missed heartbeats and its next job waits; a restarted agent runs it, once. A job given
 * back mid-step when the agent stops is continued at that step by the next agent, and no finished step runs again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TwoNodesOnOneDatabaseTest {
    static final String PREFIX = "nodes" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffffff, 6);
    static final String CP_BRIDGE = "sliceorch-t5";
    static final String N2_BRIDGE = "sliceorch-t6";
    static final String N4_BRIDGE = "sliceorch-t7";
    static final Duration DEADLINE = Duration.ofSeconds(150);

    /** The orchestrator with the real OCI driver only, counted per node ({@code test.node}). */
    @Configuration
    @EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
    static class RealOci {
        @Bean
        DriverSource countedOci(Environment environment) {
            String node = environment.getRequiredProperty("test.node");
            return context -> DriverSource.serviceLoader().open(context).stream().filter(d -> d.kind() == BackendKind.OCI)
                    .map(d -> (Driver) new CountingDriver(node, d)).toList();
        }
    }

    ConfigurableApplicationContext controlPlane;
    ConfigurableApplicationContext agent;
    List<String> agentArgs;
    ConfigurableApplicationContext dyingAgent;
    ConfigurableApplicationContext n4Agent;
    String n4Guest;
    volatile Thread heldThread;
    String guestId;

    @BeforeAll
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void startControlPlane() throws IOException {
        controlPlane = new SpringApplicationBuilder(RealOci.class).web(WebApplicationType.NONE)
                .initializers(new TestDatabaseInitializer())
                .run(common("local", CP_BRIDGE, "10.79.12").toArray(String[]::new));
        agentArgs = agentArgs("n2", N2_BRIDGE, "10.79.13");
    }

    /** A node agent of {@code node} on this database, with data and run directories, bridge and network of its own. */
    private List<String> agentArgs(String node, String bridge, String net) throws IOException {
        Environment env = controlPlane.getEnvironment();
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), node + "-data");
        // The node's own guests and state; the templates and helper binaries the host set-up built are shared.
        Files.createSymbolicLink(data.resolve("templates"), Path.of("/var/lib/slice/templates"));
        Files.createSymbolicLink(data.resolve("bin"), Path.of("/var/lib/slice/bin"));
        List<String> args = new ArrayList<>(common(node, bridge, net));
        args.addAll(List.of(
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "--spring.flyway.schemas=" + env.getProperty("spring.flyway.schemas"),
                "--spring.flyway.default-schema=" + env.getProperty("spring.flyway.default-schema"),
                "--slice.roles=node-agent", "--slice.node.name=" + node, "--slice.node.address=" + node + ".test",
                "--slice.data-dir=" + data, "--slice.drivers.oci.runDir=/run/slice/oci-" + PREFIX + "-" + node));
        return args;
    }

    private static List<String> common(String node, String bridge, String net) {
        return List.of("--test.node=" + node, "--slice.guest-id-prefix=" + PREFIX,
                "--slice.jobs.poll-interval=200ms", "--slice.jobs.heartbeat-interval=500ms", "--slice.jobs.stale-after=10s",
                "--slice.jobs.running-timeout=120s", "--slice.reconciler.enabled=false", "--slice.billing.metering-enabled=false",
                "--slice.node.heartbeat-interval=500ms", "--slice.node.missed-heartbeats=3",
                "--slice.bootstrap.configure-bridge=true", "--slice.bootstrap.bridge=" + bridge,
                "--slice.bootstrap.pool-network=" + net + ".0/24", "--slice.bootstrap.pool-gateway=" + net + ".1",
                "--slice.bootstrap.operator-password=Operator-Pass-2024", "--spring.main.banner-mode=off");
    }

    private ConfigurableApplicationContext startAgent(String credential) {
        return startAgent(agentArgs, credential);
    }

    private static ConfigurableApplicationContext startAgent(List<String> agentArgs, String credential) {
        List<String> args = new ArrayList<>(agentArgs);
        args.add("--slice.node.credential=" + credential);
        return new SpringApplicationBuilder(RealOci.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }

    @Test
    void anOrderOnN2IsProvisionedByN2sAgentAndWaitsWhileTheAgentIsDown() throws Exception {
        AccountService accounts = controlPlane.getBean(AccountService.class);
        NodeService nodes = controlPlane.getBean(NodeService.class);
        ServerService servers = controlPlane.getBean(ServerService.class);
        JobQueue queue = controlPlane.getBean(JobQueue.class);
        JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "twonodes");

        NewNode n2 = nodes.add(operator, "n2");
        long n2Id = n2.node().node().id();
        agent = startAgent(n2.credential());
        NodeView registered = nodes.get(operator, n2Id);
        assertThat(registered.agent().state()).isEqualTo(AgentState.ONLINE);
        assertThat(registered.agent().address()).isEqualTo("n2.test");
        assertThat(registered.node().cpus()).as("capacity from n2's probe").isPositive();
        assertThat(registered.backends()).anyMatch(b -> b.backend().equals("oci") && b.available());

        // Orders go to n2 only: the other nodes take none for now.
        jdbc.sql("update node set enabled = (name = 'n2')").update();
        Plan plan = controlPlane.getBean(PlanService.class).create(operator, new PlanRequest("two-nodes", "oci", 1, 256, 512, 0, 0));
        long serverId = controlPlane.getBean(OrderService.class)
                .order(customer, new OrderRequest(plan.id(), "on-n2", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        Server server = servers.get(customer, serverId);
        guestId = server.guestId();
        assertThat(server.nodeName()).isEqualTo("n2");
        await("the server is active", () -> servers.get(customer, serverId).status() == ServerStatus.ACTIVE);

        Driver n2Oci = agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).orElseThrow();
        Driver cpOci = controlPlane.getBean(DriverRegistry.class).driver(BackendKind.OCI).orElseThrow();
        GuestId guest = GuestId.of(guestId);
        assertThat(n2Oci.state(guest)).isEqualTo(GuestState.RUNNING);
        assertThat(cpOci.state(guest)).as("the control plane's own host has no such guest").isEqualTo(GuestState.ABSENT);
        assertThat(CountingDriver.calls("n2", "create", guestId)).isEqualTo(1);
        assertThat(CountingDriver.calls("n2", "start", guestId)).isEqualTo(1);
        assertThat(CountingDriver.calls("local", "create", guestId)).isZero();
        assertThat(CountingDriver.calls("local", "start", guestId)).isZero();

        // n2's agent goes away: after three missed heartbeats (1.5 s) the control plane marks n2 unreachable.
        Instant stoppedAt = Instant.now();
        agent.close();
        agent = null;
        await("n2 is unreachable", () -> nodes.get(operator, n2Id).agent().state() == AgentState.UNREACHABLE);
        NodeView lost = nodes.get(operator, n2Id);
        assertThat(lost.agent().lastSeen()).isBefore(Instant.now()).isAfter(stoppedAt.minusSeconds(5));
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.UNKNOWN);

        long stopJob = servers.stop(customer, serverId, false);
        Thread.sleep(3000); // fifteen polls of the control plane's worker
        Job waiting = queue.find(stopJob).orElseThrow();
        assertThat(waiting.status()).as("waits for n2's agent").isEqualTo(JobStatus.QUEUED);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.error()).isNull();
        assertThat(CountingDriver.calls("local", "stop", guestId) + CountingDriver.calls("n2", "stop", guestId)).isZero();

        // Back again: the job runs, once.
        agent = startAgent(n2.credential());
        await("the stop job succeeded", () -> queue.find(stopJob).orElseThrow().status() == JobStatus.SUCCEEDED);
        assertThat(nodes.get(operator, n2Id).agent().state()).isEqualTo(AgentState.ONLINE);
        assertThat(CountingDriver.calls("n2", "stop", guestId)).isEqualTo(1);
        assertThat(CountingDriver.calls("local", "stop", guestId)).isZero();
        assertThat(queue.find(stopJob).orElseThrow().attempts()).isZero();
        n2Oci = agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).orElseThrow();
        assertThat(n2Oci.state(guest)).isEqualTo(GuestState.STOPPED);

        // A start held inside the driver while the agent stops: the job goes back to the queue at that step, not done,
        // and the next agent continues there; the finished steps of earlier jobs never run again.
        CountDownLatch held = new CountDownLatch(1);
        CountingDriver.beforeStart = node -> {
            if (!node.equals("n2")) return;
            held.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE); // until the stopping worker interrupts it
            } catch (InterruptedException e) {
                // Not re-interrupted: the worker writes the release to PostgreSQL on this thread next.
                throw new IllegalStateException("interrupted before the start", e);
            }
        };
        long startJob = servers.start(customer, serverId);
        assertThat(held.await(60, TimeUnit.SECONDS)).as("the start step began on n2").isTrue();
        CountingDriver.beforeStart = node -> {};
        agent.close();
        agent = null;
        Job released = queue.find(startJob).orElseThrow();
        assertThat(released.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(released.nextStep()).as("the start step is not recorded as done").isZero();
        assertThat(CountingDriver.calls("n2", "start", guestId)).as("the held start never reached runc").isEqualTo(1);

        agent = startAgent(n2.credential());
        await("the start job succeeded", () -> queue.find(startJob).orElseThrow().status() == JobStatus.SUCCEEDED);
        Job started = queue.find(startJob).orElseThrow();
        assertThat(started.steps()).allMatch(s -> s.status().equals("done"));
        assertThat(started.fence()).as("claimed afresh by the new agent").isGreaterThan(released.fence());
        assertThat(CountingDriver.calls("n2", "start", guestId)).isEqualTo(2);
        assertThat(CountingDriver.calls("n2", "create", guestId)).isEqualTo(1);
        assertThat(CountingDriver.calls("n2", "stop", guestId)).isEqualTo(1);
        assertThat(CountingDriver.calls("local", "start", guestId) + CountingDriver.calls("local", "create", guestId)).isZero();
        assertThat(agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).orElseThrow().state(guest)).isEqualTo(GuestState.RUNNING);
    }

    /**
     * n4's agent dies in the middle of a create job (its worker stops writing, its heartbeats stop, nothing is given
     * back). Only n4's next agent takes the job over, after {@code stale-after}, at the step that was not done; the
     * dead claim's writes are refused by the fence; the steps done before the death never run again.
     */
    @Test
    void aJobOfAnAgentThatDiedIsTakenOverByTheNodesNextAgentOnly() throws Exception {
        AccountService accounts = controlPlane.getBean(AccountService.class);
        NodeService nodes = controlPlane.getBean(NodeService.class);
        ServerService servers = controlPlane.getBean(ServerService.class);
        JobQueue queue = controlPlane.getBean(JobQueue.class);
        JdbcClient jdbc = controlPlane.getBean(JdbcClient.class);
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "dies");
        NewNode n4 = nodes.add(operator, "n4");
        List<String> n4Args = agentArgs("n4", N4_BRIDGE, "10.79.14");
        ConfigurableApplicationContext dying = startAgent(n4Args, n4.credential());
        dyingAgent = dying;
        jdbc.sql("update node set enabled = (name = 'n4')").update();
        Plan plan = controlPlane.getBean(PlanService.class).create(operator, new PlanRequest("dies", "oci", 1, 256, 512, 0, 0));

        CountDownLatch held = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean holdOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
        CountingDriver.beforeStart = node -> {
            if (!node.equals("n4") || !holdOnce.getAndSet(false)) return;
            heldThread = Thread.currentThread();
            held.countDown();
            try {
                Thread.sleep(Long.MAX_VALUE); // the dead worker's thread, stuck in the step until its context closes
            } catch (InterruptedException e) {
                throw new IllegalStateException("the dead agent's step ends with its context", e);
            }
        };
        var order = controlPlane.getBean(OrderService.class)
                .order(customer, new OrderRequest(plan.id(), "on-n4", "debian-12", "Correct-Horse-42", List.of(), null));
        n4Guest = servers.get(customer, order.serverId()).guestId();
        assertThat(held.await(60, TimeUnit.SECONDS)).as("n4's worker reached the start step").isTrue();
        Job before = queue.find(order.jobId()).orElseThrow();
        assertThat(before.nextStep()).as("allocate and create done").isEqualTo(2);
        String deadWorker = dying.getBean(dev.slice.job.JobWorker.class).id();
        // The process dies: no more heartbeats of the job or the node, nothing given back.
        dying.getBean(dev.slice.job.JobWorker.class).kill();
        dying.getBean(NodeAgent.class).stop();
        await("n4 is unreachable", () -> nodes.get(operator, n4.node().node().id()).agent().state() == AgentState.UNREACHABLE);
        assertThat(queue.find(order.jobId()).orElseThrow().status()).as("nobody else takes n4's job").isEqualTo(JobStatus.RUNNING);

        n4Agent = startAgent(n4Args, n4.credential());
        await("the create job succeeded", () -> queue.find(order.jobId()).orElseThrow().status() == JobStatus.SUCCEEDED);
        Job done = queue.find(order.jobId()).orElseThrow();
        assertThat(done.output()).contains("taken over from worker " + deadWorker);
        assertThat(done.attempts()).as("the takeover counts").isEqualTo(1);
        assertThat(queue.stepDone(before.claim(), 2, "late", Instant.now())).as("the dead claim is fenced off").isFalse();
        assertThat(queue.succeed(before.claim(), Instant.now())).isFalse();
        assertThat(CountingDriver.calls("n4", "create", n4Guest)).as("create was done before the death: not again").isEqualTo(1);
        assertThat(CountingDriver.calls("n4", "start", n4Guest)).isEqualTo(1);
        assertThat(CountingDriver.calls("local", "create", n4Guest) + CountingDriver.calls("n2", "create", n4Guest)).isZero();
        assertThat(servers.get(customer, order.serverId()).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(n4Agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).orElseThrow().state(GuestId.of(n4Guest)))
                .isEqualTo(GuestState.RUNNING);
        assertThat(nodes.get(operator, n4.node().node().id()).agent().state()).isEqualTo(AgentState.ONLINE);
        CountingDriver.beforeStart = node -> {};
    }

    @Test
    void anAgentWithAWrongCredentialOrAnUnknownNodeDoesNotStart() {
        NodeService nodes = controlPlane.getBean(NodeService.class);
        Actor operator = Tenants.operator(controlPlane.getBean(AccountService.class));
        nodes.add(operator, "n3");
        List<String> args = new ArrayList<>(agentArgs);
        args.replaceAll(a -> a.equals("--slice.node.name=n2") ? "--slice.node.name=n3" : a);
        args.add("--slice.node.credential=slnode_not-the-one");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpringApplicationBuilder(RealOci.class)
                        .web(WebApplicationType.NONE).run(args.toArray(String[]::new)))
                .hasStackTraceContaining("the credential of node n3 does not match");
        args.replaceAll(a -> a.equals("--slice.node.name=n3") ? "--slice.node.name=n9" : a);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpringApplicationBuilder(RealOci.class)
                        .web(WebApplicationType.NONE).run(args.toArray(String[]::new)))
                .hasStackTraceContaining("node n9 is not known");
        assertThat(nodes.get(operator, nodes.findByName("n3").orElseThrow().id()).agent().state()).isEqualTo(AgentState.AWAITING);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out after " + DEADLINE + " waiting until " + what);
            Thread.sleep(200);
        }
    }

    @AfterAll
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void cleanUp() {
        CountingDriver.beforeStart = node -> {};
        if (heldThread != null) heldThread.interrupt(); // the dead worker's thread; it writes nothing (killed)
        try {
            if (guestId != null) {
                if (agent == null) agent = startAgentForCleanUp();
                if (agent != null) agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).ifPresent(d -> d.destroy(GuestId.of(guestId)));
            }
            if (n4Agent != null && n4Guest != null) {
                n4Agent.getBean(DriverRegistry.class).driver(BackendKind.OCI).ifPresent(d -> d.destroy(GuestId.of(n4Guest)));
            }
        } finally {
            if (dyingAgent != null) dyingAgent.close();
            if (n4Agent != null) n4Agent.close();
            if (agent != null) agent.close();
            if (controlPlane != null) controlPlane.close();
            ProcessRunner processes = new ProcessRunner();
            processes.run(HostCommand.of("ip", "link", "del", CP_BRIDGE));
            processes.run(HostCommand.of("ip", "link", "del", N2_BRIDGE));
            processes.run(HostCommand.of("ip", "link", "del", N4_BRIDGE));
            for (String node : List.of("n2", "n4")) {
                processes.run(HostCommand.of("rm", "-rf", "--one-file-system", "/run/slice/oci-" + PREFIX + "-" + node));
            }
        }
    }

    private ConfigurableApplicationContext startAgentForCleanUp() {
        try {
            String credential = controlPlane.getBean(NodeService.class)
                    .newCredential(Tenants.operator(controlPlane.getBean(AccountService.class)),
                            controlPlane.getBean(NodeService.class).findByName("n2").orElseThrow().id()).credential();
            return startAgent(credential);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
