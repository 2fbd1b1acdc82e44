package dev.slice.usage;

import dev.slice.orchestrator.SliceProperties;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Usage's beans, imported by the orchestrator's auto-configuration, and the sampling schedule of each node agent
 * ({@code slice.usage.interval}, default 1 minute; {@code slice.usage.enabled=false} turns it off).
 */
@Configuration(proxyBeanMethods = false)
@Import({UsageRepository.class, UsageMeter.class, UsageService.class, UsageController.class})
public class UsageConfiguration {

    @Bean
    SmartLifecycle sliceUsageSchedule(UsageMeter meter, SliceProperties properties,
                                      @Value("${slice.usage.enabled:true}") boolean enabled,
                                      @Value("${slice.usage.interval:1m}") Duration interval) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;

            @Override
            public synchronized void start() {
                if (!enabled || !properties.isNodeAgent()) return; // it reads this host's guests; a control plane alone has none
                executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("usage").daemon().factory());
                long every = interval.toMillis();
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        meter.runPass();
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(UsageMeter.class).warn("Usage pass failed; the next one counts it: {}", e.toString());
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
