package dev.slice.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.Credentials;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.Resources;
import dev.slice.driver.StopMode;
import dev.slice.error.ForbiddenException;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@SliceSpringTest
class ReconcilerTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired Reconciler reconciler;
    @Autowired FakeDriver driver;
    @Autowired JdbcClient jdbc;

    @Test
    void powerStatesFollowTheHostAndOrphansAndLossesAreReportedNeverDeleted() {
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "watched");
        Plan plan = Tenants.plan(plans, operator, "tiny", 1, 128, 512);
        long keep = orders.order(customer, new OrderRequest(plan.id(), "keep", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        long lose = orders.order(customer, new OrderRequest(plan.id(), "lose", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        String keepGuest = servers.get(customer, keep).guestId();
        String loseGuest = servers.get(customer, lose).guestId();

        // Someone stops one guest behind Slice's back, removes another, and starts a guest of their own.
        driver.stop(GuestId.of(keepGuest), StopMode.force());
        driver.destroy(GuestId.of(loseGuest));
        driver.plant(new GuestSpec(GuestId.of("stray-1"), "stray", Resources.of(1, 128, 512), "debian-12",
                new NetworkConfig("10.77.0.250/24", "10.77.0.1", "02:00:00:00:00:fa", "slicebr0", List.of()), Credentials.none()),
                GuestState.RUNNING);

        List<Finding> findings = reconciler.runOnce();
        assertThat(findings).extracting(Finding::kind, Finding::guestId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("orphan", "stray-1"),
                        org.assertj.core.groups.Tuple.tuple("lost", loseGuest));
        assertThat(servers.get(customer, keep).powerState()).isEqualTo(PowerState.STOPPED);
        assertThat(servers.get(customer, lose).powerState()).isEqualTo(PowerState.UNKNOWN);
        assertThat(servers.get(customer, lose).status()).as("a loss is reported, not acted on").isEqualTo(ServerStatus.ACTIVE);
        assertThat(driver.guest("stray-1")).as("orphans are never deleted").isNotNull();

        reconciler.runOnce();
        assertThat(auditCount("reconcile.orphan")).as("reported once, not every pass").isEqualTo(1);
        assertThat(auditCount("reconcile.lost")).isEqualTo(1);

        driver.destroy(GuestId.of("stray-1"));
        driver.start(GuestId.of(keepGuest));
        assertThat(reconciler.runOnce()).extracting(Finding::kind).containsExactly("lost");
        assertThat(servers.get(customer, keep).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(auditCount("reconcile.resolved")).isEqualTo(1);

        assertThat(reconciler.findings(operator)).hasSize(1);
        assertThatThrownBy(() -> reconciler.findings(customer)).isInstanceOf(ForbiddenException.class);
    }

    private long auditCount(String action) {
        return jdbc.sql("select count(*) from audit_log where action = ?").param(action).query(Long.class).single();
    }
}
