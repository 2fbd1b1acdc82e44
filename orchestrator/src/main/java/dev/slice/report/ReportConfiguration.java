package dev.slice.report;

import dev.slice.driver.HostContext;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.job.JobQueue;
import dev.slice.node.NodeService;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.provisioning.NodeDrivers;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The reports feature's beans; the job worker gets {@link ReportSteps} for jobs of kind report. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReportProperties.class)
public class ReportConfiguration {

    @Bean
    ReportRepository sliceReportRepository(JdbcClient jdbc) {
        return new ReportRepository(jdbc);
    }

    @Bean
    ReportService sliceReportService(ReportRepository reports, JobQueue jobs, NodeService nodes, NodeDrivers nodeDrivers,
                                     DriverRegistry registry, Clock clock) {
        return new ReportService(reports, jobs, nodes, nodeDrivers, registry, clock);
    }

    @Bean
    ReportSteps sliceReportSteps(ReportRepository reports, NodeDrivers drivers, DriverRegistry registry, HostContext host,
                                 ReportProperties properties, SliceProperties slice, Clock clock) {
        return new ReportSteps(reports, drivers, registry, host, properties, slice.guestIdPrefix(), clock);
    }
}
