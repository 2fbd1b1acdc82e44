package dev.slice.orchestrator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.springframework.context.SmartLifecycle;

/**
 * A pass run on a daemon thread of its own every {@code interval} while the application runs (the reconciler, the
 * usage meter): a failed pass is logged and the next one runs as planned.
 */
public final class PeriodicPass implements SmartLifecycle {
    private final String name;
    private final BooleanSupplier wanted;
    private final Duration interval;
    private final Runnable pass;
    private final Logger log;
    private final String failure;
    private ScheduledExecutorService executor;

    /** @param wanted checked at start: false leaves the pass off (e.g. a control plane alone, which has no guests) */
    public PeriodicPass(String name, BooleanSupplier wanted, Duration interval, Runnable pass, Logger log, String failure) {
        this.name = name;
        this.wanted = wanted;
        this.interval = interval;
        this.pass = pass;
        this.log = log;
        this.failure = failure;
    }

    @Override
    public synchronized void start() {
        if (!wanted.getAsBoolean()) return;
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name).daemon().factory());
        long every = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                pass.run();
            } catch (RuntimeException e) {
                log.warn("{}: {}", failure, e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) executor.shutdownNow();
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
