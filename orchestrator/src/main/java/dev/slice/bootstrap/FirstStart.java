package dev.slice.bootstrap;

import dev.slice.account.AccountService;
import dev.slice.driver.BackendKind;
import dev.slice.driver.registry.BackendStatus;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.ipam.IpamService;
import dev.slice.node.NodeService;
import dev.slice.orchestrator.SliceProperties;
import dev.slice.template.TemplateService;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Makes a fresh installation usable, in the control plane: the debian-12 template, an operator account (password
 * printed once) and starter plans per available backend. The node itself, its probe results, its IP pool and bridge
 * are the node agent's ({@code node/NodeAgent}; on a single host the same process). Everything is "create if
 * missing", so restarts change nothing the operator edited.
 */
@Component
public class FirstStart implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(FirstStart.class);

    private final SliceProperties properties;
    private final DriverRegistry registry;
    private final NodeService nodes;
    private final IpamService ipam;
    private final TemplateService templates;
    private final AccountService accounts;
    private final JdbcClient jdbc;
    private final Clock clock;

    public FirstStart(SliceProperties properties, DriverRegistry registry, NodeService nodes, IpamService ipam,
                      TemplateService templates, AccountService accounts, JdbcClient jdbc, Clock clock) {
        this.properties = properties;
        this.registry = registry;
        this.nodes = nodes;
        this.ipam = ipam;
        this.templates = templates;
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        SliceProperties.Bootstrap b = properties.bootstrap();
        if (!b.enabled() || !properties.isControlPlane()) return;
        templates.ensure("debian-12", "Debian 12 (bookworm)");
        if (!accounts.operatorExists()) createOperator(b);
        if (b.starterPlans()) starterPlans();
    }

    private void createOperator(SliceProperties.Bootstrap b) {
        String password = b.operatorPassword();
        boolean generated = password == null || password.isBlank();
        if (generated) password = generatePassword();
        accounts.createOperator(b.operatorUsername(), password);
        if (generated) {
            log.warn("""

                    ************************************************************
                      Slice operator account created
                        login:    {}
                        password: {}
                      This password is shown once; change it after logging in.
                    ************************************************************""", b.operatorUsername(), password);
        } else {
            log.info("Operator account '{}' created with the configured password", b.operatorUsername());
        }
    }

    private void starterPlans() {
        long operator = jdbc.sql("select id from account where role = 'operator' order by id limit 1").query(Long.class).single();
        for (BackendStatus status : registry.statuses()) {
            if (!status.available()) continue;
            BackendKind kind = status.kind();
            boolean has = jdbc.sql("select exists(select 1 from plan where owner_id = ? and backend = ?)")
                    .params(operator, kind.id()).query(Boolean.class).single();
            if (has) continue;
            for (StarterPlans.Size size : StarterPlans.of(kind)) plan(operator, kind, size);
            log.info("Starter plans created for backend {}", kind.id());
        }
    }

    private void plan(long owner, BackendKind kind, StarterPlans.Size size) {
        jdbc.sql("""
                insert into plan (owner_id, name, backend, vcpus, memory_mib, disk_mib, bandwidth_mbit, monthly_price_cents, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(owner, kind.id() + "-" + size.name(), kind.id(), size.vcpus(), size.memoryMiB(), size.diskMiB(),
                        size.bandwidthMbit(), size.monthlyPriceCents(),
                        Timestamp.from(clock.instant()))
                .update();
    }

    private static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return password.toString();
    }
}
