package dev.slice.orchestrator;

import dev.slice.reconciler.Reconciler;
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
        // It reconciles this host's guests; a control plane alone has none.
        return new PeriodicPass("reconciler", properties::isNodeAgent, properties.reconciler().interval(), reconciler::runOnce,
                LoggerFactory.getLogger(Reconciler.class), "Reconciler pass failed");
    }
}
