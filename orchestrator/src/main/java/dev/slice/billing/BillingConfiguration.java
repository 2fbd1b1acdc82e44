package dev.slice.billing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Billing's beans, imported by the orchestrator's auto-configuration (an explicit list, as there), and its schedule. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
@Import({BillingRepository.class, Ledger.class, BillingService.class, Metering.class, TrafficCharging.class, BillingPass.class, BillingController.class,
        ProviderEvents.class, ProviderEventController.class, Invoicing.class, CreditNotes.class,
        Dunning.class, BillingNotices.class})
public class BillingConfiguration {

    /**
     * The catch-up pass every {@code slice.billing.metering-interval}: charges every hour not yet charged (after a
     * downtime, all of them), issues the invoices of months that have ended, and runs dunning.
     */
    @Bean
    @ConditionalOnProperty(name = "slice.billing.metering-enabled", havingValue = "true", matchIfMissing = true)
    SmartLifecycle sliceBillingSchedule(BillingPass pass, BillingProperties properties,
                                        dev.slice.orchestrator.SliceProperties slice) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;

            @Override
            public synchronized void start() {
                if (!slice.isControlPlane()) return; // billing is the control plane's, never a node agent's
                executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("billing").daemon().factory());
                long every = properties.meteringInterval().toMillis();
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        pass.run();
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(BillingPass.class).warn("Billing pass failed; the next one catches up: {}", e.toString());
                    }
                }, Math.min(every, 60_000), every, TimeUnit.MILLISECONDS);
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
