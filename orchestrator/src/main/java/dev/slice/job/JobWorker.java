package dev.slice.job;

import dev.slice.driver.InvalidSpecException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs from the {@link JobQueue}: claims due jobs (and jobs of dead workers), runs their remaining
 * steps through a {@link StepRunner}, records each finished step, and retries failures with backoff.
 * Heartbeats go out while a step runs; if this worker dies, its heartbeat goes stale and another worker
 * continues the job at the step that was not recorded as done. No Spring here: {@code JobConfiguration}
 * starts it.
 */
public class JobWorker {
    private static final Logger log = LoggerFactory.getLogger(JobWorker.class);

    /** Timing knobs; stale-after must be several heartbeats long. */
    public record Settings(int threads, Duration pollInterval, Duration heartbeatInterval, Duration staleAfter) {
        public static final Settings DEFAULT = new Settings(2, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private final String id;
    private final JobQueue queue;
    private final StepRunner runner;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Settings settings;
    private final java.util.function.Supplier<ClaimScope> scope;
    private final Map<Long, Job> running = new ConcurrentHashMap<>();
    private final List<Thread> loops = new ArrayList<>();
    private ScheduledExecutorService heartbeats;
    private volatile boolean active;
    private volatile boolean dead;
    private volatile boolean stopping;
    private final java.util.concurrent.Semaphore wakeUps = new java.util.concurrent.Semaphore(0);

    public JobWorker(String id, JobQueue queue, StepRunner runner, RetryPolicy retry, Clock clock, Settings settings) {
        this(id, queue, runner, retry, clock, settings, () -> ClaimScope.ALL);
    }

    /** A worker that claims only the jobs in {@code scope}, asked at every claim (a node agent's nodes can change). */
    public JobWorker(String id, JobQueue queue, StepRunner runner, RetryPolicy retry, Clock clock, Settings settings,
                     java.util.function.Supplier<ClaimScope> scope) {
        this.scope = scope;
        this.id = id;
        this.queue = queue;
        this.runner = runner;
        this.retry = retry;
        this.clock = clock;
        this.settings = settings;
    }

    public String id() { return id; }

    public synchronized void start() {
        if (active) return;
        active = true;
        heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("job-heartbeat-" + id).daemon().factory());
        long every = settings.heartbeatInterval().toMillis();
        heartbeats.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < settings.threads(); i++) {
            loops.add(Thread.ofPlatform().name("job-worker-" + id + "-" + i).daemon().start(this::loop));
        }
        log.info("Job worker {} started with {} threads", id, settings.threads());
    }

    /** A job was enqueued: one idle thread claims now instead of at its next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() < settings.threads()) wakeUps.release();
    }

    /** A job of {@code nodeId} (null: of no node) was enqueued somewhere: wakes a thread if the job is in this worker's scope. */
    public void wakeUpFor(Long nodeId) {
        ClaimScope now = scope.get();
        if (now.all() || (nodeId == null ? now.unassigned() : now.nodes().contains(nodeId))) wakeUp();
    }

    /** Stops claiming; running steps are interrupted and their jobs given back to the queue. */
    public synchronized void stop() {
        if (!active) return;
        active = false;
        stopping = true;
        loops.forEach(Thread::interrupt);
        for (Thread loop : loops) {
            try {
                loop.join(settings.staleAfter().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loops.clear();
        heartbeats.shutdownNow();
        stopping = false;
        log.info("Job worker {} stopped", id);
    }

    /**
     * Simulates this worker's process dying: heartbeats stop and nothing more is written, while its threads
     * may still be stuck inside a step. Another worker takes the jobs over once their heartbeat is stale.
     */
    public synchronized void kill() {
        dead = true;
        active = false;
        if (heartbeats != null) heartbeats.shutdownNow();
        log.warn("Job worker {} killed", id);
    }

    /** Claims and runs due jobs until none is left; for tests that drive the worker step by step. */
    public int runDue() {
        int ran = 0;
        List<Job> jobs;
        while (!(jobs = claim()).isEmpty()) {
            for (Job job : jobs) {
                run(job);
                ran++;
            }
        }
        return ran;
    }

    private void loop() {
        while (active && !dead) {
            try {
                List<Job> jobs = claim();
                if (jobs.isEmpty()) {
                    // Waits for a wake-up from an enqueue, or polls (jobs due after a backoff, other nodes' enqueues).
                    wakeUps.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    jobs.forEach(this::run);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Job worker {} could not poll the queue: {}", id, e.toString());
                try {
                    Thread.sleep(settings.pollInterval().toMillis() * 4);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private List<Job> claim() {
        if (dead) return List.of();
        Instant now = clock.instant();
        return queue.claim(id, 1, now, now.minus(settings.staleAfter()), scope.get());
    }

    private void beat() {
        if (dead) return;
        for (Job job : running.values()) {
            try {
                if (!queue.heartbeat(job.claim(), clock.instant())) running.remove(job.id());
            } catch (RuntimeException e) {
                log.warn("Heartbeat for job {} failed: {}", job.id(), e.toString());
            }
        }
    }

    /** Runs the job's remaining steps; returns when it succeeded, was put back for a retry, or failed. */
    void run(Job job) {
        running.put(job.id(), job);
        Claim claim = job.claim();
        int index = job.nextStep();
        if (job.attempts() >= job.maxAttempts()) {
            // Its workers kept dying (or it failed that often): do not try again.
            handleFailure(job, index, new PermanentJobFailure("gave up after " + job.attempts() + " attempts"));
            running.remove(job.id());
            return;
        }
        try {
            log.info("Job {} ({} of server {}) claimed by {}, continuing at step {} of {}", job.id(), job.kind().id(),
                    job.serverId(), id, index, job.steps().size());
            for (; index < job.steps().size(); index++) {
                Step step = job.steps().get(index).step();
                if (dead) return;
                if (!queue.stepStarted(claim, index, clock.instant())) {
                    log.info("Job {} is no longer this claim's at step {} (taken over or finished): left to its holder", job.id(), index);
                    return;
                }
                String output = runner.run(job, step);
                if (dead || !queue.stepDone(claim, index, output, clock.instant())) return;
            }
            if (!dead) queue.succeed(claim, clock.instant());
        } catch (InterruptedException e) {
            if (!dead) queue.release(claim, index, clock.instant());
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (dead) return;
            if (stopping) {
                queue.release(claim, index, clock.instant());
                return;
            }
            handleFailure(job, index, e);
        } finally {
            running.remove(job.id());
        }
    }

    private void handleFailure(Job job, int index, Exception e) {
        String error = describe(e);
        int failures = job.attempts() + 1;
        boolean permanent = e instanceof PermanentJobFailure || e instanceof InvalidSpecException;
        Instant now = clock.instant();
        if (permanent || failures >= job.maxAttempts()) {
            log.warn("Job {} failed for good at step {} after {} attempt(s): {}", job.id(), index, failures, error);
            if (queue.fail(job.claim(), index, error, now)) {
                try {
                    runner.failed(job, error);
                } catch (RuntimeException hookFailure) {
                    log.error("Recording the failure of job {} failed: {}", job.id(), hookFailure.toString());
                }
            }
        } else {
            Instant next = now.plus(retry.delayAfter(failures));
            log.info("Job {} step {} failed (attempt {} of {}), retrying at {}: {}", job.id(), index, failures,
                    job.maxAttempts(), next, error);
            queue.retryLater(job.claim(), index, error, now, next);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 4000 ? message.substring(0, 4000) + "..." : message;
    }
}
