package dev.slice.backup;

import dev.slice.orchestrator.SliceProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Backups' beans, imported by the orchestrator's auto-configuration (an explicit list, as there), and the schedule's timer. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackupProperties.class)
@Import({BackupRepository.class, BackupScheduler.class, BackupService.class, BackupController.class})
public class BackupConfiguration {

    /**
     * Every {@code slice.backups.scheduler-interval} on the control plane: queues the scheduler's job when a schedule
     * is due or a retention ended (the job does the work, with the job queue's fence, retries and log).
     */
    @Bean
    SmartLifecycle sliceBackupTimer(BackupScheduler scheduler, BackupProperties properties, SliceProperties slice) {
        return new SmartLifecycle() {
            private ScheduledExecutorService executor;

            @Override
            public synchronized void start() {
                if (!properties.schedulerEnabled() || !slice.isControlPlane()) return;
                executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("backup-timer").daemon().factory());
                long every = properties.schedulerInterval().toMillis();
                executor.scheduleWithFixedDelay(() -> {
                    try {
                        scheduler.queueIfDue();
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(BackupScheduler.class).warn("Backup timer failed; the next one tries again: {}", e.toString());
                    }
                }, Math.min(every, 10_000), every, TimeUnit.MILLISECONDS);
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
