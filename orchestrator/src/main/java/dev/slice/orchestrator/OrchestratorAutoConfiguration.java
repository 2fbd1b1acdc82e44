package dev.slice.orchestrator;

import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.audit.AuditLog;
import dev.slice.backup.BackupConfiguration;
import dev.slice.billing.BillingConfiguration;
import dev.slice.usage.UsageConfiguration;
import dev.slice.bootstrap.FirstStart;
import dev.slice.driver.HostContext;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.driver.registry.DriverSource;
import dev.slice.ipam.IpamService;
import dev.slice.job.JobQueue;
import dev.slice.job.JobService;
import dev.slice.job.StepTimes;
import dev.slice.node.NodeService;
import dev.slice.order.OrderService;
import dev.slice.placement.PlacementService;
import dev.slice.placement.PlanCapacity;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.quota.CustomerLimits;
import dev.slice.quota.CustomerLimitsController;
import dev.slice.quota.QuotaRepository;
import dev.slice.quota.Quotas;
import dev.slice.reconciler.Reconciler;
import dev.slice.report.ReportConfiguration;
import dev.slice.report.ReportController;
import dev.slice.report.reading.ReportReadingConfiguration;
import dev.slice.server.BulkPowerActions;
import dev.slice.server.BulkPowerController;
import dev.slice.server.ServerService;
import dev.slice.signin.SignInThrottle;
import dev.slice.firewall.FirewallController;
import dev.slice.notification.NotificationController;
import dev.slice.notification.NotificationService;
import dev.slice.firewall.FirewallEnforcement;
import dev.slice.firewall.FirewallRepository;
import dev.slice.firewall.FirewallService;
import dev.slice.snapshot.SnapshotController;
import dev.slice.snapshot.SnapshotRepository;
import dev.slice.rescue.RescueController;
import dev.slice.rescue.RescueService;
import dev.slice.snapshot.SnapshotService;
import dev.slice.plan.RetiredPlans;
import dev.slice.template.TemplateService;
import dev.slice.account.AccountController;
import dev.slice.account.ApiTokenService;
import dev.slice.api.ActorArgumentResolver;
import dev.slice.api.ApiErrors;
import dev.slice.api.ApiJson;
import dev.slice.api.ApiRoutes;
import dev.slice.api.OpenApiConfiguration;
import dev.slice.node.NodeAgentConfiguration;
import dev.slice.node.NodeController;
import dev.slice.plan.PlanController;
import dev.slice.security.ApiSecurityConfiguration;
import dev.slice.security.CurrentActor;
import dev.slice.security.SecurityContexts;
import dev.slice.security.SignInAs;
import dev.slice.security.SignedInSessions;
import dev.slice.server.ServerController;
import dev.slice.server.ServerRepository;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import dev.slice.twofactor.TwoFactorController;
import dev.slice.twofactor.TwoFactorPolicy;
import dev.slice.twofactor.TwoFactorService;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The orchestrator as a library: an application that has this jar gets the services, the job worker, the
 * reconciler and the REST API under /api by auto-configuration. Beans marked {@code @ConditionalOnMissingBean}
 * can be replaced (tests replace {@link DriverSource} and {@link Clock}).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration"})
@EnableConfigurationProperties(SliceProperties.class)
@PropertySource("classpath:slice-orchestrator-defaults.properties")
// An explicit list rather than a package scan: nothing else (e.g. test configurations) slips in.
@Import({
        AccountController.class,
        AccountService.class,
        AccountManagement.class,
        ApiTokenService.class,
        ActorArgumentResolver.class,
        ApiErrors.class,
        ApiJson.class,
        ApiRoutes.class,
        OpenApiConfiguration.class,
        AuditLog.class,
        BackupConfiguration.class,
        BillingConfiguration.class,
        UsageConfiguration.class,
        FirstStart.class,
        IpamService.class,
        JobService.class,
        StepTimes.class,
        NodeController.class,
        NotificationController.class,
        NotificationService.class,
        NodeAgentConfiguration.class,
        NodeService.class,
        OrderService.class,
        PlacementService.class, PlanCapacity.class,
        PlanController.class,
        PlanService.class,
        NodeDrivers.class,
        CustomerLimits.class,
        CustomerLimitsController.class,
        QuotaRepository.class,
        Quotas.class,
        Reconciler.class,
        RescueController.class,
        RescueService.class,
        ReportConfiguration.class,
        ReportController.class,
        ReportReadingConfiguration.class,
        ApiSecurityConfiguration.class,
        CurrentActor.class,
        SecurityContexts.class,
        SignInAs.class,
        SignedInSessions.class,
        ServerController.class,
        ServerRepository.class,
        ServerService.class,
        BulkPowerActions.class,
        BulkPowerController.class,
        SignInThrottle.class,
        FirewallController.class,
        FirewallEnforcement.class,
        FirewallRepository.class,
        FirewallService.class,
        SnapshotController.class,
        SnapshotRepository.class,
        SnapshotService.class,
        TemplateService.class,
        RetiredPlans.class,
        dev.slice.provisioning.OrderCancellationController.class,
        TwoFactorController.class,
        TwoFactorPolicy.class,
        TwoFactorService.class})
public class OrchestratorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock sliceClock() {
        return Clock.systemUTC();
    }

    /** BCrypt through Spring Security's delegating encoder ({bcrypt}...), so the scheme can change later. */
    @Bean
    @ConditionalOnMissingBean
    PasswordEncoder slicePasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @ConditionalOnMissingBean
    DriverSource sliceDriverSource() {
        return DriverSource.serviceLoader();
    }

    @Bean
    @ConditionalOnMissingBean
    HostContext sliceHostContext(SliceProperties properties) {
        return new HostContext(properties.dataDir(), properties.drivers(), new ProcessRunner());
    }

    @Bean
    @ConditionalOnMissingBean
    DriverRegistry sliceDriverRegistry(DriverSource source, HostContext context) {
        return new DriverRegistry(source, context);
    }

    @Bean
    @ConditionalOnMissingBean
    JobQueue sliceJobQueue(JdbcClient jdbc) {
        return new JobQueue(jdbc);
    }
}
