package dev.slice.usage;

import dev.slice.orchestrator.PeriodicPass;
import dev.slice.orchestrator.SliceProperties;
import java.time.Duration;
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
        // It reads this host's guests; a control plane alone has none.
        return new PeriodicPass("usage", () -> enabled && properties.isNodeAgent(), interval, meter::runPass,
                LoggerFactory.getLogger(UsageMeter.class), "Usage pass failed; the next one counts it");
    }
}
