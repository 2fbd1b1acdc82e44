package dev.slice.report.reading;

import dev.slice.node.NodeService;
import dev.slice.plan.PlanService;
import dev.slice.report.ReportRepository;
import dev.slice.report.ReportService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The reading side of reports: its service and REST controller. */
@Configuration(proxyBeanMethods = false)
@Import(ReportReadingController.class)
public class ReportReadingConfiguration {

    @Bean
    ReportReadingService sliceReportReadingService(ReportService reports, ReportRepository repository, NodeService nodes, PlanService plans) {
        return new ReportReadingService(reports, repository, nodes, plans);
    }
}
