package dev.slice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobKind;
import dev.slice.job.JobService;
import dev.slice.job.JobStatus;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Snapshots through the service and its jobs on real PostgreSQL, against the in-memory driver's snapshots. */
@SliceSpringTest
class SnapshotsTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired SnapshotService snapshots;
    @Autowired JobService jobs;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;

    Actor reseller;
    Actor customer;
    Plan plan;
    long serverId;
    String guestId;

    @BeforeEach
    void activeServer() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        reseller = Tenants.reseller(accounts, plans, "r" + suffix);
        customer = Tenants.customer(accounts, reseller, "c" + suffix);
        plan = Tenants.plan(plans, reseller, "small", 1, 256, 1024);
        serverId = orders.order(customer, new OrderRequest(plan.id(), "snap", "debian-12", "Correct-Horse-42", List.of(), null)).serverId();
        worker.runDue();
        guestId = servers.get(customer, serverId).guestId();
    }

    @Test
    void takeRevertAndDeleteAreJobsThatTheDriverCarriesOut() {
        SnapshotService.Accepted taken = snapshots.take(customer, serverId, "  before upgrade ");
        assertThat(snapshot(taken.snapshotId()).status()).isEqualTo(SnapshotStatus.CREATING);
        runJob(JobKind.SNAPSHOT_TAKE);
        Snapshot ready = snapshot(taken.snapshotId());
        assertThat(ready.status()).isEqualTo(SnapshotStatus.READY);
        assertThat(ready.name()).isEqualTo("before upgrade");
        assertThat(driver.snapshots(dev.slice.driver.GuestId.of(guestId))).containsExactly(ready.driverName());

        SnapshotService.Listing listing = snapshots.list(customer, serverId);
        assertThat(listing.supported()).isTrue();
        assertThat(listing.limit()).isEqualTo(3);
        assertThat(listing.snapshots()).extracting(Snapshot::name).containsExactly("before upgrade");

        snapshots.revert(customer, serverId, ready.id());
        runJob(JobKind.SNAPSHOT_REVERT);
        assertThat(driver.reverts).containsExactly(ready.driverName());
        // The in-memory driver leaves a reverted guest stopped; the job starts it.
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);

        snapshots.delete(customer, serverId, ready.id());
        assertThat(snapshot(ready.id()).status()).isEqualTo(SnapshotStatus.DELETING);
        runJob(JobKind.SNAPSHOT_DELETE);
        assertThat(snapshot(ready.id()).status()).isEqualTo(SnapshotStatus.DELETED);
        assertThat(driver.snapshots(dev.slice.driver.GuestId.of(guestId))).isEmpty();
        assertThat(snapshots.list(customer, serverId).snapshots()).isEmpty();
        assertThatThrownBy(() -> snapshots.revert(customer, serverId, ready.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aBackendThatCopiesTheDiskHasTheServerStoppedForTheCopyAndStartedAgain() {
        driver.snapshotsNeedStoppedGuest = true;
        try {
            long id = snapshots.take(customer, serverId, "copied").snapshotId();
            runJob(JobKind.SNAPSHOT_TAKE);
            assertThat(snapshot(id).status()).isEqualTo(SnapshotStatus.READY);
            assertThat(driver.state(dev.slice.driver.GuestId.of(guestId))).isEqualTo(dev.slice.driver.GuestState.RUNNING);
            snapshots.revert(customer, serverId, id);
            runJob(JobKind.SNAPSHOT_REVERT);
            assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
        } finally {
            driver.snapshotsNeedStoppedGuest = false;
        }
    }

    @Test
    void thePlansLimitIsKeptAndANameIsUsedOncePerServer() {
        snapshots.setLimit(reseller, plan.id(), 2);
        snapshots.take(customer, serverId, "one");
        worker.runDue();
        assertThatThrownBy(() -> snapshots.take(customer, serverId, "one"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        snapshots.take(customer, serverId, "two");
        worker.runDue();
        assertThatThrownBy(() -> snapshots.take(customer, serverId, "three"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("allows 2 snapshots");
        snapshots.setLimit(reseller, plan.id(), 0);
        assertThatThrownBy(() -> snapshots.take(customer, serverId, "three"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("offers no snapshots");
        assertThat(snapshots.list(customer, serverId).snapshots()).hasSize(2);
    }

    @Test
    void badInputNamesItsFieldAndOnlyTheSellerSetsTheLimit() {
        for (String bad : new String[] {null, " ", "x".repeat(65), "tab\there"}) {
            assertThatThrownBy(() -> snapshots.take(customer, serverId, bad))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        }
        for (Integer bad : new Integer[] {null, -1, 101}) {
            assertThatThrownBy(() -> snapshots.setLimit(reseller, plan.id(), bad))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("snapshotLimit"));
        }
        assertThatThrownBy(() -> snapshots.setLimit(customer, plan.id(), 5)).isInstanceOf(ForbiddenException.class);
        Actor stranger = Tenants.customer(accounts, reseller, "s" + System.nanoTime() % 1_000_000);
        assertThatThrownBy(() -> snapshots.take(stranger, serverId, "mine")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> snapshots.list(stranger, serverId)).isInstanceOf(NotFoundException.class);
        assertThat(snapshots.list(customer, serverId).snapshots()).isEmpty();
    }

    @Test
    void oneJobAtATimeAndDeletingTheServerForgetsItsSnapshots() {
        long first = snapshots.take(customer, serverId, "first").snapshotId();
        assertThatThrownBy(() -> snapshots.take(customer, serverId, "second"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already has a job");
        assertThat(snapshots.list(customer, serverId).snapshots()).as("the refused take left no row").hasSize(1);
        worker.runDue();
        servers.delete(customer, serverId);
        worker.runDue();
        assertThat(snapshot(first).status()).isEqualTo(SnapshotStatus.DELETED);
        assertThat(driver.snapshots(dev.slice.driver.GuestId.of(guestId))).isEmpty();
    }

    @Autowired SnapshotRepository rows;

    private Snapshot snapshot(long id) {
        return rows.find(id).orElseThrow();
    }

    private void runJob(JobKind kind) {
        worker.runDue();
        var job = jobs.forServer(customer, serverId, 0, 1).getFirst();
        assertThat(job.kind()).isEqualTo(kind);
        assertThat(job.status()).as(job.output() + " " + job.error()).isEqualTo(JobStatus.SUCCEEDED);
    }
}
