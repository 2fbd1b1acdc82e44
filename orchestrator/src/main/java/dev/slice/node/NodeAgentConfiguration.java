package dev.slice.node;

import dev.slice.audit.AuditLog;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.ipam.IpamService;
import dev.slice.orchestrator.SliceProperties;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The node agent and the control plane's liveness check; each is idle in a process without its role. */
@Configuration(proxyBeanMethods = false)
public class NodeAgentConfiguration {

    @Bean
    NodeAgent sliceNodeAgent(SliceProperties properties, DriverRegistry registry, NodeService nodes, IpamService ipam, AuditLog audit,
                             DataSource dataSource) {
        return new NodeAgent(properties, registry, nodes, ipam, audit, timed(dataSource, properties), dev.slice.orchestrator.JobConfiguration.workerId());
    }

    @Bean
    NodeLiveness sliceNodeLiveness(SliceProperties properties, AuditLog audit, DataSource dataSource, java.time.Clock clock) {
        return new NodeLiveness(properties, timed(dataSource, properties), audit, clock);
    }

    /** Heartbeats and sweeps wait at most a couple of intervals for PostgreSQL (JDBC query timeout, then cancel). */
    private static JdbcClient timed(DataSource dataSource, SliceProperties properties) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(NodeAgent.queryTimeoutSeconds(properties.node().heartbeatInterval()));
        return JdbcClient.create(template);
    }
}
