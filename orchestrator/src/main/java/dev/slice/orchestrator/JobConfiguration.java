package dev.slice.orchestrator;

import dev.slice.audit.AuditLog;
import dev.slice.backup.BackupProperties;
import dev.slice.backup.BackupRepository;
import dev.slice.backup.BackupScheduler;
import dev.slice.backup.BackupSteps;
import dev.slice.ipam.IpamService;
import dev.slice.job.ClaimScope;
import dev.slice.job.JobKind;
import dev.slice.job.JobNotifications;
import dev.slice.job.JobQueue;
import dev.slice.job.JobWorker;
import dev.slice.job.RetryPolicy;
import dev.slice.job.StepRouter;
import dev.slice.job.StepRunner;
import dev.slice.node.NodeAgent;
import dev.slice.provisioning.GuestSteps;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.report.ReportSteps;
import dev.slice.server.ServerRepository;
import dev.slice.snapshot.SnapshotRepository;
import dev.slice.snapshot.SnapshotSteps;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/** Starts the job worker with the application and stops it first on shutdown (its jobs go back to the queue). */
@AutoConfiguration(after = OrchestratorAutoConfiguration.class)
public class JobConfiguration {

    @Bean
    @ConditionalOnMissingBean
    GuestSteps sliceGuestSteps(ServerRepository servers, IpamService ipam, NodeDrivers drivers, AuditLog audit,
                               dev.slice.firewall.FirewallEnforcement firewalls, SliceProperties properties, JobQueue jobs, Clock clock) {
        return new GuestSteps(servers, ipam, drivers, audit, firewalls, properties.jobs().runningTimeout(), jobs, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    dev.slice.provisioning.OrderCancellation sliceOrderCancellation(dev.slice.server.ServerService servers, ServerRepository rows,
                                                                    JobQueue jobs, AuditLog audit,
                                                                    org.springframework.context.ApplicationEventPublisher events, Clock clock) {
        return new dev.slice.provisioning.OrderCancellation(servers, rows, jobs, audit, events, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    JobWorker sliceJobWorker(JobQueue queue, GuestSteps steps, ReportSteps reportSteps, SnapshotRepository snapshots,
                             BackupRepository backups, BackupScheduler backupScheduler, BackupProperties backupProperties,
                             ServerRepository servers, NodeDrivers drivers, Clock clock, SliceProperties properties,
                             NodeAgent agent) {
        SliceProperties.Jobs jobs = properties.jobs();
        // Servers' jobs go through the backup steps, then the snapshot steps; each hands every step but its own on, to the
        // guest's at the end. (The backup scheduler's job, which has no server, is the backup steps' alone.)
        StepRunner serverSteps = new BackupSteps(new SnapshotSteps(steps, snapshots, servers, drivers), backups, backupScheduler,
                servers, drivers, backupProperties, clock);
        JobWorker worker = new JobWorker(agent.instance(), queue, new StepRouter(serverSteps, Map.of(JobKind.REPORT, reportSteps)),
                new RetryPolicy(jobs.maxAttempts(), jobs.backoffBase(), jobs.backoffMax()), clock,
                new JobWorker.Settings(jobs.threads(), jobs.pollInterval(), jobs.heartbeatInterval(), jobs.staleAfter()),
                // Its own node's jobs (while its registration holds); the control plane's also those of no node.
                () -> new ClaimScope(agent.servedNodes(), properties.isControlPlane()));
        queue.onEnqueued(worker::wakeUp);
        return worker;
    }

    /** Enqueues by any process (another control plane, a node agent) wake this process's worker at once; polling stays. */
    @Bean
    @ConditionalOnMissingBean
    JobNotifications sliceJobNotifications(DataSource dataSource, JobWorker worker) {
        JobNotifications notifications = new JobNotifications(dataSource, Duration.ofSeconds(5));
        notifications.onJobEnqueued(worker::wakeUpFor);
        return notifications;
    }

    @Bean
    @ConditionalOnProperty(name = "slice.jobs.enabled", havingValue = "true", matchIfMissing = true)
    SmartLifecycle sliceJobNotificationsLifecycle(JobNotifications notifications) {
        return lifecycle(notifications::start, notifications::stop);
    }

    @Bean
    @ConditionalOnProperty(name = "slice.jobs.enabled", havingValue = "true", matchIfMissing = true)
    SmartLifecycle sliceJobWorkerLifecycle(JobWorker worker) {
        return lifecycle(worker::start, worker::stop);
    }

    private static SmartLifecycle lifecycle(Runnable start, Runnable stop) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                start.run();
                running = true;
            }

            @Override
            public void stop() {
                stop.run();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }

    /** host/pid/random: tells workers apart in job rows and logs, also across restarts on one host. */
    public static String workerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        return host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xffff, 4);
    }
}
