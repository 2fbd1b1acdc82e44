package dev.slice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.InvalidSpecException;
import dev.slice.error.ConflictException;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.GuestSteps;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The durable queue with real PostgreSQL: retries with backoff, permanent failures, one job per server, claiming. */
@SliceSpringTest
class JobWorkerTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobService jobService;
    @Autowired JobQueue queue;
    @Autowired JobWorker worker;
    @Autowired GuestSteps steps;
    @Autowired FakeDriver driver;
    @Autowired MutableClock clock;
    @Autowired JdbcClient jdbc;
    @Autowired StepTimes stepTimes;
    @Autowired dev.slice.provisioning.OrderCancellation cancellation;

    Actor customer;
    Plan plan;

    @BeforeEach
    void setUp() {
        // Let every job of earlier tests finish, so each test sees only its own.
        driver.reset();
        // Room for every order of this class's tests on its one node (their servers stay).
        jdbc.sql("update node set cpus = 256, memory_mib = 262144, disk_mib = 10485760").update();
        clock.advance(Duration.ofHours(1));
        worker.runDue();
        Actor operator = Tenants.operator(accounts);
        customer = Tenants.customer(accounts, operator, "c" + System.nanoTime() % 1_000_000);
        plan = Tenants.plan(plans, operator, "p" + System.nanoTime() % 1_000_000, 1, 256, 1024);
    }

    private long order(String hostname) {
        return orders.order(customer, new OrderRequest(plan.id(), hostname, "debian-12", "Correct-Horse-42", List.of(), null)).jobId();
    }

    @Test
    void anOrderCancelledBeforeAnyWorkerTookItIsReleasedByOneDeleteJob() {
        long createId = order("withdrawn1");
        long serverId = queue.find(createId).orElseThrow().serverId();
        long deleteId = cancellation.cancel(customer, serverId);

        Job create = queue.find(createId).orElseThrow();
        assertThat(create.status()).isEqualTo(JobStatus.FAILED);
        assertThat(create.error()).contains("cancelled");
        assertThat(deleteId).isNotEqualTo(createId);
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.DELETING);
        assertThat(openMeters(serverId)).as("the meter closes with the cancel, as with a delete").isZero();

        worker.runDue();
        assertThat(queue.find(deleteId).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(driver.guests()).isEmpty();
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.DELETED);
        assertThat(addressesOf(serverId)).isZero();
        assertThat(jdbc.sql("select count(*) from job where server_id = ?").param(serverId).query(Long.class).single())
                .as("the create job and one delete job, nothing else").isEqualTo(2);
        assertThatThrownBy(() -> cancellation.cancel(customer, serverId)).isInstanceOf(dev.slice.error.NotFoundException.class);
    }

    @Test
    void anOrderCancelledWhileItsGuestIsCreatedStopsAtTheNextStepAndIsReleased() {
        long[] server = new long[1];
        long[] follow = new long[1];
        Throwable[] again = new Throwable[1];
        // The cancel arrives while the worker is inside the create-guest step; a second one is refused.
        driver.beforeCreate = spec -> {
            follow[0] = cancellation.cancel(customer, server[0]);
            again[0] = org.assertj.core.api.Assertions.catchThrowable(() -> cancellation.cancel(customer, server[0]));
        };
        long createId = order("withdrawn2");
        server[0] = queue.find(createId).orElseThrow().serverId();

        worker.runDue(); // the create job ends at the next boundary and hands over to a delete job, which runs next
        assertThat(follow[0]).as("a worker held the create job: the caller follows it").isEqualTo(createId);
        Job create = queue.find(createId).orElseThrow();
        assertThat(create.status()).isEqualTo(JobStatus.FAILED);
        assertThat(create.error()).contains("cancelled");
        assertThat(create.steps()).extracting(JobStep::status).containsExactly("done", "done", "failed", "pending", "pending");
        assertThat(again[0]).isInstanceOf(ConflictException.class).hasMessageContaining("deleting already");
        assertThat(driver.guests()).as("the guest made before the cancel is gone").isEmpty();
        assertThat(servers.get(customer, server[0]).status()).isEqualTo(ServerStatus.DELETED);
        assertThat(addressesOf(server[0])).isZero();
        assertThat(openMeters(server[0])).isZero();
        assertThat(jdbc.sql("select count(*) from job where server_id = ? and kind = 'delete'").param(server[0]).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void anActiveServerIsDeletedNotCancelled() {
        long jobId = order("kept1");
        worker.runDue();
        long serverId = queue.find(jobId).orElseThrow().serverId();
        assertThatThrownBy(() -> cancellation.cancel(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("delete it instead");
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.ACTIVE);
    }

    private long openMeters(long serverId) {
        return jdbc.sql("select count(*) from meter_segment where server_id = ? and to_hour is null").param(serverId).query(Long.class).single();
    }

    private long addressesOf(long serverId) {
        return jdbc.sql("select count(*) from ip_address where server_id = ?").param(serverId).query(Long.class).single();
    }

    @Test
    void aFailingStepIsRetriedWithExponentialBackoffAndThenSucceeds() {
        AtomicInteger failures = new AtomicInteger(2);
        driver.beforeCreate = spec -> {
            if (failures.getAndDecrement() > 0) throw new dev.slice.driver.DriverException("runtime busy");
        };
        long jobId = order("retry1");

        worker.runDue();
        Job afterFirst = queue.find(jobId).orElseThrow();
        assertThat(afterFirst.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(afterFirst.attempts()).isEqualTo(1);
        assertThat(afterFirst.nextStep()).isEqualTo(1);
        assertThat(afterFirst.error()).contains("runtime busy");
        assertThat(Duration.between(clock.instant(), afterFirst.runAfter())).isEqualTo(Duration.ofSeconds(2));
        assertThat(worker.runDue()).as("not due before the backoff").isZero();

        clock.advance(Duration.ofSeconds(2));
        worker.runDue();
        Job afterSecond = queue.find(jobId).orElseThrow();
        assertThat(afterSecond.attempts()).isEqualTo(2);
        assertThat(Duration.between(clock.instant(), afterSecond.runAfter())).isEqualTo(Duration.ofSeconds(4));

        clock.advance(Duration.ofSeconds(4));
        worker.runDue();
        Job done = queue.find(jobId).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.steps().get(0).status()).as("allocate ran once and was not repeated").isEqualTo("done");
        assertThat(driver.guests()).hasSize(1);
        assertThat(servers.get(customer, done.serverId()).status()).isEqualTo(ServerStatus.ACTIVE);
    }

    @Test
    void aStepsUsualDurationIsTheMedianOfItsRecentRunsOnItsBackend() {
        assertThat(stepTimes.typical("no-such-backend")).isEmpty();
        List<Long> jobIds = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) jobIds.add(order("usual" + i));
        worker.runDue();
        // Earlier tests' runs (the fake creates at once) are made 31 days old: past the window, they must not count.
        java.sql.Timestamp old = java.sql.Timestamp.from(clock.instant().minus(Duration.ofDays(31)));
        jdbc.sql("update job_step set started_at = ?, finished_at = ? where not (job_id = any(?))")
                .params(old, old, jobIds.toArray(Long[]::new)).update();
        // This test's create steps took 10, 20 and 60 s; one of its IP allocations failed, so that step ran twice only.
        int[] seconds = {10, 20, 60};
        java.sql.Timestamp finished = java.sql.Timestamp.from(clock.instant().minus(Duration.ofMinutes(1)));
        for (int i = 0; i < 3; i++) {
            jdbc.sql("update job_step set started_at = ?, finished_at = ? where job_id = ? and name = ?")
                    .params(java.sql.Timestamp.from(finished.toInstant().minusSeconds(seconds[i])), finished, jobIds.get(i),
                            Step.CREATE_GUEST.id()).update();
        }
        jdbc.sql("update job_step set status = 'failed' where job_id = ? and name = ?").params(jobIds.get(2), Step.ALLOCATE_IP.id()).update();

        assertThat(stepTimes.typical(plan.backend()).get(Step.CREATE_GUEST)).isEqualTo(Duration.ofSeconds(20));
        assertThat(stepTimes.typical(plan.backend())).as("done twice only: no figure yet").doesNotContainKey(Step.ALLOCATE_IP);
    }

    @Test
    void anInvalidSpecFailsAtOnceAndMarksTheServerFailed() {
        driver.beforeCreate = spec -> { throw new InvalidSpecException("template debian-12 is not built for oci"); };
        long jobId = order("broken1");
        worker.runDue();
        Job job = queue.find(jobId).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.error()).contains("not built");
        assertThat(job.steps().get(1).status()).isEqualTo("failed");
        assertThat(servers.get(customer, job.serverId()).status()).isEqualTo(ServerStatus.FAILED);
        // A failed server can still be deleted.
        servers.delete(customer, job.serverId());
        worker.runDue();
        assertThat(jdbc.sql("select status from server where id = ?").param(job.serverId()).query(String.class).single())
                .isEqualTo("deleted");
    }

    @Test
    void aFailedServerCanBeReinstalledOnceTheCauseIsFixed() {
        driver.beforeCreate = spec -> { throw new InvalidSpecException("template missing"); };
        long serverId = queue.find(order("phoenix1")).orElseThrow().serverId();
        worker.runDue();
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.FAILED);
        driver.beforeCreate = spec -> {};
        servers.reinstall(customer, serverId, "debian-12", "Correct-Horse-42", List.of());
        worker.runDue();
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(driver.guests()).hasSize(1);
    }

    @Test
    void retriesStopAfterMaxAttempts() {
        driver.beforeStart = id -> { throw new dev.slice.driver.DriverException("cannot start"); };
        long jobId = order("flaky1");
        for (int i = 0; i < 10; i++) {
            worker.runDue();
            clock.advance(Duration.ofMinutes(10));
        }
        Job job = queue.find(jobId).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts()).isEqualTo(job.maxAttempts());
        assertThat(servers.get(customer, job.serverId()).status()).isEqualTo(ServerStatus.FAILED);
    }

    @Test
    void aServerHasOneActiveJobAtATime() {
        long jobId = order("single1");
        long serverId = queue.find(jobId).orElseThrow().serverId();
        assertThatThrownBy(() -> servers.delete(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("already has a job");
        worker.runDue();
        servers.stop(customer, serverId, false);
        assertThatThrownBy(() -> servers.reboot(customer, serverId)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aJobWhoseWorkersKeepDyingIsTakenOverUntilItsAttemptsAreUsedUp() {
        long jobId = order("cursed1");
        for (int death = 0; death < 5; death++) {
            var now = clock.instant();
            assertThat(queue.claim("ghost" + death, 1, now, now.minus(Duration.ofSeconds(30)))).hasSize(1);
            clock.advance(Duration.ofSeconds(31));   // the ghost never sends a heartbeat
        }
        Job haunted = queue.find(jobId).orElseThrow();
        assertThat(haunted.attempts()).isEqualTo(4);
        assertThat(haunted.output()).contains("taken over from worker ghost0, whose heartbeat stopped")
                .contains("taken over from worker ghost3");
        assertThat(haunted.output().lines().toList()).as("each line stamped to the second, in UTC, as the panel shows times")
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\S.*"));
        worker.runDue();
        Job given = queue.find(jobId).orElseThrow();
        assertThat(given.status()).isEqualTo(JobStatus.FAILED);
        assertThat(given.error()).contains("gave up after 5 attempts");
        assertThat(servers.get(customer, given.serverId()).status()).isEqualTo(ServerStatus.FAILED);
    }

    @Test
    void anEnqueueWakesAnIdleWorkerInsteadOfWaitingForItsPoll() throws Exception {
        // Polls once an hour: only the wake-up after the order's commit can make it run the job.
        JobWorker sleepy = new JobWorker("sleepy", queue, steps, RetryPolicy.DEFAULT, clock,
                new JobWorker.Settings(1, Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(30)));
        queue.onEnqueued(sleepy::wakeUp);
        sleepy.start();
        try {
            Thread.sleep(500);   // let its first (empty) poll happen, so it is waiting
            long jobId = order("woken1");
            JobStatus status = JobStatus.QUEUED;
            for (int i = 0; i < 600 && status.active(); i++) {
                Thread.sleep(100);
                status = queue.find(jobId).orElseThrow().status();
            }
            assertThat(status).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(queue.find(jobId).orElseThrow().output()).isNotEmpty();
        } finally {
            sleepy.stop();
        }
    }

    @Test
    void twoWorkersNeverClaimTheSameJob() throws Exception {
        for (int i = 0; i < 6; i++) order("many" + i);
        var now = clock.instant();
        var stale = now.minus(Duration.ofSeconds(30));
        List<Job> first = queue.claim("a", 4, now, stale);
        List<Job> second = queue.claim("b", 4, now, stale);
        assertThat(first).hasSize(4);
        assertThat(second).hasSize(2);
        assertThat(first).extracting(Job::id).doesNotContainAnyElementsOf(second.stream().map(Job::id).toList());
        assertThat(queue.claim("c", 4, now, stale)).as("nothing left while heartbeats are fresh").isEmpty();
        // b's claim is fenced: a cannot write to b's job.
        assertThat(queue.stepDone(new Claim(second.getFirst().id(), "a", first.getFirst().fence()), 0, "", now)).isFalse();
    }

    @Test
    void aClaimTakenOverByAnotherThreadOfTheSameWorkerCannotWrite() {
        long jobId = order("fenced");
        var now = clock.instant();
        Job stalled = queue.claim("w", 1, now, now.minus(Duration.ofSeconds(30))).getFirst();
        // Its heartbeat stops (say a database hiccup while the thread is stuck in a step); the same worker's other
        // thread takes the job over: same worker id, a new claim.
        var later = now.plus(Duration.ofMinutes(1));
        Job takenOver = queue.claim("w", 1, later, later.minus(Duration.ofSeconds(30))).getFirst();
        assertThat(takenOver.id()).isEqualTo(jobId);
        assertThat(takenOver.claimedBy()).isEqualTo(stalled.claimedBy());
        assertThat(takenOver.fence()).isGreaterThan(stalled.fence());

        assertThat(queue.heartbeat(stalled.claim(), later)).as("the stale claim's heartbeat").isFalse();
        assertThat(queue.stepStarted(stalled.claim(), 0, later)).as("the stale claim starting a step").isFalse();
        assertThat(queue.stepDone(stalled.claim(), 0, "twice", later)).as("the stale claim recording a step").isFalse();
        assertThat(queue.succeed(stalled.claim(), later)).as("the stale claim finishing the job").isFalse();
        assertThat(queue.fail(stalled.claim(), 0, "stale", later)).as("the stale claim failing the job").isFalse();
        assertThat(queue.retryLater(stalled.claim(), 0, "stale", later, later)).as("the stale claim retrying the job").isFalse();
        assertThat(queue.release(stalled.claim(), 0, later)).as("the stale claim giving the job back").isFalse();
        Job untouched = queue.find(jobId).orElseThrow();
        assertThat(untouched.nextStep()).isZero();
        assertThat(untouched.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(untouched.error()).as("no stale write reached the job").isNull();
        assertThat(untouched.steps().getFirst().status()).as("nor its step").isEqualTo("pending");

        assertThat(queue.stepStarted(takenOver.claim(), 0, later)).isTrue();
        assertThat(queue.stepDone(takenOver.claim(), 0, "once", later)).as("the current claim still writes").isTrue();
        assertThat(queue.find(jobId).orElseThrow().nextStep()).isOne();
    }
}
