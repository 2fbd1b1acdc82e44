package dev.slice.orchestrator;

import dev.slice.reconciler.Reconciler;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/** Runs the reconciler of this node agent's guests every {@code slice.reconciler.interval} while the application runs. */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
@ConditionalOnProperty(name = "slice.reconciler.enabled", havingValue = "true", matchIfMissing = true)
public class ReconcilerConfiguration {

    @Bean
    SmartLifecycle sliceReconcilerSchedule(Reconciler reconciler, SliceProperties properties) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;

            @Override
            public synchronized void start() {
                if (!properties.isNodeAgent()) return; // it reconciles this host's guests; a control plane alone has none
                executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reconciler").daemon().factory());
                long every = properties.reconciler().interval().toMillis();
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        reconciler.runOnce();
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(Reconciler.class).warn("Reconciler pass failed: {}", e.toString());
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
        };
    }
}
