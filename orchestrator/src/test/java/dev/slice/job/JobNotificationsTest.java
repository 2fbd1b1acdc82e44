package dev.slice.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.SliceSpringTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two "processes" (each its own queue, worker and LISTEN connection, as two node agents have) on real PostgreSQL,
 * their workers polling only every 10 minutes: a job enqueued for one node is run at once by that node's worker only,
 * not before the enqueuing transaction commits, and again after the listening connection was killed by the server.
 */
@SliceSpringTest
class JobNotificationsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Autowired DataSource dataSource;
    @Autowired JdbcClient jdbc;
    @Autowired TransactionTemplate transactions;

    final Map<Long, String> ranBy = new ConcurrentHashMap<>();
    long nodeA;
    long nodeB;
    Agent agentA;
    Agent agentB;

    /** One simulated process: a queue of its own (no in-process wake-up shared), a worker, a listener. */
    record Agent(JobQueue queue, JobWorker worker, JobNotifications notifications) {
        void stop() {
            worker.stop();
            notifications.stop();
        }
    }

    @BeforeEach
    void twoNodesWithAnAgentEach() throws Exception {
        nodeA = node("notify-a-" + System.nanoTime());
        nodeB = node("notify-b-" + System.nanoTime());
        agentA = agent("agent-a", nodeA);
        agentB = agent("agent-b", nodeB);
        await("both listeners are connected", () -> agentA.notifications().listening() && agentB.notifications().listening());
    }

    @AfterEach
    void stopAgents() {
        agentA.stop();
        agentB.stop();
    }

    @Test
    void aJobIsRunAtOnceByItsOwnNodesWorkerAfterTheEnqueuingTransactionCommits() throws Exception {
        long jobId = transactions.execute(status -> {
            long id = enqueue(agentA.queue(), nodeB);
            sleep(Duration.ofMillis(800));
            assertThat(ranBy).as("nothing is woken before the commit").doesNotContainKey(id);
            return id;
        });

        await("node B's worker runs the job long before its 10-minute poll", () -> ranBy.containsKey(jobId));
        assertThat(ranBy.get(jobId)).isEqualTo("agent-b");
        await("the job is recorded as succeeded", () -> status(jobId) == JobStatus.SUCCEEDED);
    }

    @Test
    void aListenerWhoseConnectionTheServerKilledListensAgainAndWakesItsWorker() throws Exception {
        // The agents were started a moment ago: read the count and the pids only once both listen, or the kill can hit
        // a connection whose LISTEN is not yet counted and the "listens again" below be satisfied before the reconnect
        // (CI, 2026-12-04: the job was then notified on the dying connection and waited for the 10-minute poll).
        await("both agents listen", () -> agentA.notifications().listening() && agentB.notifications().listening());
        long listensBefore = agentB.notifications().listens();
        // Exactly the two agents' listening connections: other applications in this JVM share the database.
        int killed = jdbc.sql("select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where pid in (?, ?)) t")
                .param(agentA.notifications().backendPid()).param(agentB.notifications().backendPid()).query(Integer.class).single();
        assertThat(killed).as("listening connections terminated").isEqualTo(2);
        await("agent B listens again on a new connection", () -> agentB.notifications().listens() > listensBefore
                && agentB.notifications().listening());

        long jobId = enqueue(agentA.queue(), nodeB);
        await("node B's worker runs the job after the reconnect", () -> ranBy.containsKey(jobId));
        assertThat(ranBy.get(jobId)).isEqualTo("agent-b");
    }

    @Test
    void aClaimReturnsTheClaimedRowsAsTheyAreAfterTheClaim() {
        agentA.stop();
        JobQueue queue = new JobQueue(jdbc);
        long jobId = queue.enqueue(JobKind.REPORT, null, nodeA, null, "{}", 3, Instant.now());
        long fenceBefore = jdbc.sql("select last_value from job_fence").query(Long.class).single();

        List<Job> claimed = queue.claim("claimer", 5, Instant.now(), Instant.now().minusSeconds(30),
                new ClaimScope(Set.of(nodeA), false));

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.id()).isEqualTo(jobId);
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.claimedBy()).isEqualTo("claimer");
            assertThat(job.claim().fence()).isGreaterThan(fenceBefore);
            assertThat(job.steps()).extracting(JobStep::step).containsExactlyElementsOf(JobKind.REPORT.steps());
        });
    }

    private Agent agent(String name, long node) {
        JobQueue queue = new JobQueue(jdbc);
        StepRunner runner = new StepRunner() {
            @Override
            public String run(Job job, Step step) {
                ranBy.putIfAbsent(job.id(), name);
                return "";
            }

            @Override
            public void failed(Job job, String error) {}
        };
        JobWorker worker = new JobWorker(name, queue, runner, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5)),
                Clock.systemUTC(), new JobWorker.Settings(1, Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30)),
                () -> new ClaimScope(Set.of(node), false));
        JobNotifications notifications = new JobNotifications(dataSource, Duration.ofMillis(500));
        notifications.onJobEnqueued(worker::wakeUpFor);
        worker.start();
        notifications.start();
        return new Agent(queue, worker, notifications);
    }

    private long enqueue(JobQueue queue, long node) {
        return queue.enqueue(JobKind.REPORT, null, node, null, "{}", 3, Instant.now());
    }

    private long node(String name) {
        return jdbc.sql("insert into node (name, cpus, memory_mib, disk_mib, created_at) values (?, 2, 8192, 100000, now()) returning id")
                .param(name).query(Long.class).single();
    }

    private JobStatus status(long jobId) {
        return JobStatus.fromId(jdbc.sql("select status from job where id = ?").param(jobId).query(String.class).single());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("not within " + DEADLINE + ": " + what);
            Thread.sleep(50);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
