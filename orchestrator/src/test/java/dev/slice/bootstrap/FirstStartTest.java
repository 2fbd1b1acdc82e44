package dev.slice.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.Role;
import dev.slice.ipam.IpamService;
import dev.slice.node.NodeService;
import dev.slice.node.NodeView;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.template.TemplateService;
import dev.slice.testing.SliceSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

@SliceSpringTest
class FirstStartTest {
    @Autowired FirstStart firstStart;
    @Autowired AccountService accounts;
    @Autowired NodeService nodes;
    @Autowired IpamService ipam;
    @Autowired PlanService plans;
    @Autowired TemplateService templates;
    @Autowired PasswordEncoder encoder;
    @Autowired JdbcClient jdbc;

    @Test
    void aFreshInstallationGetsNodePoolTemplateOperatorAndStarterPlans() {
        var login = accounts.findForLogin("admin").orElseThrow();
        assertThat(login.role()).isEqualTo(Role.OPERATOR);
        assertThat(login.passwordHash()).startsWith("{bcrypt}");
        assertThat(encoder.matches("Operator-Pass-2024", login.passwordHash())).isTrue();
        Actor operator = login.asActor();

        NodeView local = nodes.list(operator).getFirst();
        assertThat(local.node().name()).isEqualTo("local");
        assertThat(local.node().cpus()).isEqualTo(4);
        assertThat(local.node().memoryMiB()).isEqualTo(8192);
        assertThat(local.node().cpuOvercommit()).isEqualTo(4.0);
        assertThat(local.node().memoryOvercommit()).isEqualTo(1.0);
        assertThat(local.backends()).filteredOn(b -> b.backend().equals("oci")).singleElement()
                .satisfies(b -> assertThat(b.available()).isTrue());
        assertThat(local.backends()).filteredOn(b -> b.backend().equals("qemu")).singleElement()
                .satisfies(b -> assertThat(b.detail()).contains("no driver-libvirt module opened a qemu driver"));

        var pool = ipam.pools(local.node().id()).getFirst();
        assertThat(pool.network()).isEqualTo("10.77.0.0/24");
        assertThat(pool.gateway()).isEqualTo("10.77.0.1");
        assertThat(pool.bridge()).isEqualTo("slicebr0");
        assertThat(ipam.free(local.node().id())).isEqualTo(253);

        assertThat(templates.available()).extracting(t -> t.name()).contains("debian-12");
        assertThat(plans.list(operator)).extracting(Plan::name).contains("oci-s", "oci-m", "oci-l");
    }

    @Test
    void driversGetTheirSettingsAndTheDataDirectory(@Autowired dev.slice.driver.HostContext host) {
        assertThat(host.setting("oci.runDir")).contains("/run/slice/oci-unused-by-fake");
        assertThat(host.setting("qemu.uri")).contains("qemu:///system");
        assertThat(host.dataDir().toString()).isEqualTo("target/slice-data");
        assertThat(nodes.findByName("local").orElseThrow().libvirtUri()).isEqualTo("qemu:///system");
    }

    @Test
    void startingAgainChangesNothing() {
        long accountsBefore = count("account");
        long plansBefore = count("plan");
        long addressesBefore = count("ip_address");
        firstStart.afterSingletonsInstantiated();
        assertThat(count("account")).isEqualTo(accountsBefore);
        assertThat(count("plan")).isEqualTo(plansBefore);
        assertThat(count("ip_address")).isEqualTo(addressesBefore);
        assertThat(count("node")).isEqualTo(1);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
