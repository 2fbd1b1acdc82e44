package dev.slice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.job.JobKind;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.reconciler.Reconciler;
import dev.slice.snapshot.SnapshotService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The owner's suspend and resume of a guest through jobs, the rules around them, and how the reconciler and the
 * provider's suspension treat a suspended guest. The backend here is the in-memory driver; the same jobs against a
 * real emulator guest are {@code EmulatorSuspendThroughJobsTest}.
 */
@SliceSpringTest
class GuestSuspendTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired JobService jobs;
    @Autowired FakeDriver driver;
    @Autowired Reconciler reconciler;
    @Autowired SnapshotService snapshots;

    Actor reseller;
    Actor customer;
    Plan small;
    long serverId;

    @BeforeEach
    void runningServer() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "sr" + suffix);
        customer = Tenants.customer(accounts, reseller, "sc" + suffix);
        small = Tenants.plan(plans, reseller, "small", 1, 256, 1024);
        serverId = orders.order(customer, new OrderRequest(small.id(), "sleepy", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
    }

    @AfterEach
    void offerSuspendAgain() {
        driver.suspendable = true;
    }

    @Test
    void suspendSavesTheGuestAndResumeRunsItAgain() {
        servers.suspendGuest(customer, serverId);
        worker.runDue();
        Server suspended = servers.get(customer, serverId);
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().kind()).isEqualTo(JobKind.SUSPEND);
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(suspended.status()).as("a status of the provider's, untouched").isEqualTo(ServerStatus.ACTIVE);
        assertThat(suspended.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThat(driver.isSuspended(dev.slice.driver.GuestId.of(suspended.guestId()))).isTrue();

        // Nothing else may act on the saved machine meanwhile; a second suspend is a wrong state.
        assertThatThrownBy(() -> servers.suspendGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("guest is suspended");
        assertThatThrownBy(() -> servers.start(customer, serverId)).isInstanceOf(ConflictException.class).hasMessageContaining("resume it first");
        assertThatThrownBy(() -> servers.reboot(customer, serverId)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> servers.stop(customer, serverId, true)).isInstanceOf(ConflictException.class);
        Plan bigger = Tenants.plan(plans, reseller, "bigger", 2, 512, 2048);
        assertThatThrownBy(() -> servers.resize(customer, serverId, bigger.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> snapshots.take(customer, serverId, "while-asleep")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("resume it first");

        // The reconciler sees a stopped guest with a saved machine: suspended, not stopped, not lost.
        assertThat(reconciler.runOnce()).noneMatch(f -> f.serverId() != null && f.serverId() == serverId);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.SUSPENDED);

        servers.resumeGuest(customer, serverId);
        worker.runDue();
        assertThat(jobs.forServer(customer, serverId, 0, 1).getFirst().kind()).isEqualTo(JobKind.RESUME);
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
        assertThatThrownBy(() -> servers.resumeGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("only a suspended guest can be resumed");
    }

    @Test
    void aBackendWithoutSuspendIsRefusedWithAConflict() {
        driver.suspendable = false;
        assertThatThrownBy(() -> servers.suspendGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("this server's backend cannot suspend");
        assertThatThrownBy(() -> servers.resumeGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("this server's backend cannot suspend");
        assertThat(servers.get(customer, serverId).activeJobId()).as("no job").isNull();
    }

    @Test
    void onlyARunningGuestOfAnActiveServerCanBeSuspended() {
        servers.stop(customer, serverId, false);
        worker.runDue();
        assertThatThrownBy(() -> servers.suspendGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("guest is stopped");
        assertThatThrownBy(() -> servers.resumeGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("guest is stopped");
        servers.suspend(reseller, serverId);
        worker.runDue();
        assertThatThrownBy(() -> servers.suspendGuest(customer, serverId)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("cannot suspend a server that is suspended");
    }

    @Test
    void theProvidersSuspensionKeepsTheSavedMachineAndItsLiftingResumesIt() {
        servers.suspendGuest(customer, serverId);
        worker.runDue();
        servers.suspend(reseller, serverId);
        worker.runDue();
        Server both = servers.get(customer, serverId);
        assertThat(both.status()).isEqualTo(ServerStatus.SUSPENDED);
        assertThat(both.powerState()).as("the power-off found a saved machine").isEqualTo(PowerState.SUSPENDED);
        assertThatThrownBy(() -> servers.resumeGuest(customer, serverId)).isInstanceOf(ConflictException.class);

        servers.unsuspend(reseller, serverId);
        worker.runDue();
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(driver.isSuspended(dev.slice.driver.GuestId.of(both.guestId()))).as("the start resumed it").isFalse();
    }

    @Test
    void theProvidersSuspensionOfARunningGuestSavesItsMachineWhileTheOwnersStopShutsItDown() {
        var guest = dev.slice.driver.GuestId.of(servers.get(customer, serverId).guestId());
        servers.suspend(reseller, serverId);
        worker.runDue();
        assertThat(servers.get(customer, serverId).powerState()).as("the owner asked for no shutdown: saved").isEqualTo(PowerState.SUSPENDED);
        assertThat(driver.isSuspended(guest)).isTrue();
        servers.unsuspend(reseller, serverId);
        worker.runDue();
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(driver.isSuspended(guest)).as("the start resumed it").isFalse();

        servers.stop(customer, serverId, false);
        worker.runDue();
        assertThat(servers.get(customer, serverId).powerState()).as("the owner's stop is a shutdown").isEqualTo(PowerState.STOPPED);
        assertThat(driver.isSuspended(guest)).isFalse();
    }
}
