package dev.slice.snapshot.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.server.ServerService;
import dev.slice.snapshot.Snapshot;
import dev.slice.snapshot.SnapshotService;
import dev.slice.snapshot.SnapshotStatus;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer's snapshots of a real container from the Snapshots section of its server page: a name is required, a
 * snapshot is taken (the container is stopped for the copy and runs again), a revert (confirmed) brings back a file
 * as it was when the snapshot was taken, and a delete (confirmed) removes it from the page and from the host.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SnapshotsBrowserTest {
    private static final Duration JOB = Duration.ofMinutes(3);
    private static final String FILE = "/root/panel-snapshot-test";

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @Autowired SnapshotService snapshots;
    @Autowired DriverRegistry drivers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;
    private GuestId guest;
    private Snapshot taken;

    @BeforeAll
    void aRunningServer() {
        customer = fixture.customer("hugo");
        serverId = fixture.runningContainer(customer, "hugo1.example.com", "Hugo-First-Pass-11");
        guest = GuestId.of(servers.get(customer, serverId).guestId());
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(customer.username(), PanelFixture.PASSWORD);
        pages.open("/server/" + serverId);
    }

    @AfterAll
    void cleanUp() {
        try {
            fixture.deleteAndWait(serverId);
        } finally {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void aSnapshotNeedsAName() {
        pages.waitFor(d -> pages.content("snapshots-summary").startsWith("0 of " + limit() + " snapshots.") ? true : null);
        pages.waitFor(d -> pages.enabled("snapshot-take") ? true : null);
        pages.type("snapshot-name", "   ");
        pages.click("snapshot-take");
        pages.waitFor(d -> pages.fieldError("snapshot-name").isEmpty() ? null : true);
        assertThat(pages.fieldError("snapshot-name")).isEqualTo("Give the snapshot a name of 1-64 characters");
        assertThat(snapshots.list(customer, serverId).snapshots()).isEmpty();
    }

    @Test
    @Order(2)
    void takeASnapshot() throws Exception {
        run("sh", "-c", "echo before > " + FILE + " && sync");
        pages.type("snapshot-name", "before upgrade");
        pages.click("snapshot-take");
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ snapshot_take: succeeded.*") ? true : null, JOB);
        pages.waitForGridCell("snapshots-grid", "before upgrade");
        pages.waitForGridCell("snapshots-grid", "ready");
        pages.waitFor(d -> pages.content("snapshots-summary").startsWith("1 of " + limit() + " snapshots.") ? true : null);
        waitForPower("running");
        taken = snapshots.list(customer, serverId).snapshots().getFirst();
        assertThat(taken.name()).isEqualTo("before upgrade");
        assertThat(taken.status()).isEqualTo(SnapshotStatus.READY);
        assertThat(driverSnapshots().snapshots(guest)).containsExactly(taken.driverName());
        chromium.screenshot("snapshots-taken");
    }

    @Test
    @Order(3)
    void revertBringsTheFileBack() throws Exception {
        run("sh", "-c", "echo after > " + FILE + " && sync");
        pages.waitFor(d -> pages.enabled("snapshot-revert-" + taken.id()) ? true : null);
        pages.click("snapshot-revert-" + taken.id());
        assertThat(pages.waitFor(d -> d.findElement(By.id("confirm-snapshot-" + taken.id()))).getDomProperty("header"))
                .isEqualTo("Revert hugo1.example.com to 'before upgrade'?");
        pages.confirm();
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ snapshot_revert: succeeded.*") ? true : null, JOB);
        waitForPower("running");
        assertThat(run("cat", FILE).stdout()).isEqualTo("before\n");
    }

    @Test
    @Order(4)
    void deleteRemovesItFromThePageAndTheHost() {
        pages.waitFor(d -> pages.enabled("snapshot-delete-" + taken.id()) ? true : null);
        pages.click("snapshot-delete-" + taken.id());
        assertThat(pages.waitFor(d -> d.findElement(By.id("confirm-snapshot-" + taken.id()))).getDomProperty("header"))
                .isEqualTo("Delete snapshot 'before upgrade'?");
        pages.confirm();
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ snapshot_delete: succeeded.*") ? true : null, JOB);
        pages.waitFor(d -> pages.content("snapshots-summary").startsWith("0 of " + limit() + " snapshots.") ? true : null);
        // The grid is hidden without rows (Vaadin then sends it no updates, so its last rows stay in the DOM, unseen).
        pages.waitFor(d -> d.findElement(By.id("snapshots-grid")).getDomAttribute("hidden") != null ? true : null);
        assertThat(snapshots.list(customer, serverId).snapshots()).isEmpty();
        assertThat(driverSnapshots().snapshots(guest)).isEmpty();
    }

    /** The plan's limit, as the summary states it. */
    private int limit() {
        return snapshots.list(customer, serverId).limit();
    }

    private Snapshots driverSnapshots() {
        return drivers.driver(BackendKind.OCI).orElseThrow().capability(Snapshots.class).orElseThrow();
    }

    /** A program in the container, retried while it is still coming up after a start; it must exit 0. */
    private ExecResult run(String... argv) throws InterruptedException {
        GuestExec exec = drivers.driver(BackendKind.OCI).orElseThrow().capability(GuestExec.class).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                ExecResult result = exec.exec(guest, ExecCommand.of(Duration.ofSeconds(20), argv));
                assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.stderr()).isZero();
                return result;
            } catch (DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }

    private void waitForPower(String state) {
        pages.waitFor(d -> pages.content("power-" + serverId).equals(state) ? true : null, JOB);
    }
}
