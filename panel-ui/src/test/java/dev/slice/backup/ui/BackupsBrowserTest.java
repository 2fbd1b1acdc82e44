package dev.slice.backup.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.backup.Backup;
import dev.slice.backup.BackupService;
import dev.slice.backup.BackupStatus;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.capability.GuestExec.ExecResult;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.nio.file.Path;
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
 * A customer's backups of a real container from the Backups section of its server page: a name is required, a backup
 * is written (the container stopped for the copy, running again) and listed ready, a file changed in the guest is back
 * after a restore (confirmed), and a schedule with no retention is refused naming the field.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BackupsBrowserTest {
    private static final Duration JOB = Duration.ofMinutes(3);
    private static final String FILE = "/root/panel-backup-test";

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @Autowired BackupService backups;
    @Autowired DriverRegistry drivers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;
    private GuestId guest;
    private Backup written;

    @BeforeAll
    void aRunningServer() {
        customer = fixture.customer("bella");
        serverId = fixture.runningContainer(customer, "bella1.example.com", "Bella-First-Pass-11");
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
            // The backup outlives the server (for 30 days by default): the test removes its archive itself.
            if (written != null) java.nio.file.Files.deleteIfExists(Path.of(written.archive()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void aBackupNeedsAName() {
        pages.waitFor(d -> pages.content("backups-summary").startsWith("0 backups ready. No schedule.") ? true : null);
        pages.waitFor(d -> pages.enabled("backup-create") ? true : null);
        pages.type("backup-name", "   ");
        pages.click("backup-create");
        pages.waitFor(d -> pages.fieldError("backup-name").isEmpty() ? null : true);
        assertThat(pages.fieldError("backup-name")).isEqualTo("Give the backup a name of 1-64 characters");
        assertThat(backups.list(customer, serverId).backups()).isEmpty();
    }

    @Test
    @Order(2)
    void backUpNow() throws Exception {
        run("sh", "-c", "echo before > " + FILE + " && sync");
        pages.type("backup-name", "before upgrade");
        pages.click("backup-create");
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ backup: succeeded.*") ? true : null, JOB);
        pages.waitForGridCell("backups-grid", "before upgrade");
        pages.waitForGridCell("backups-grid", "ready");
        pages.waitFor(d -> pages.content("backups-summary").startsWith("1 backup ready.") ? true : null);
        waitForPower("running");
        written = backups.list(customer, serverId).backups().getFirst();
        assertThat(written.status()).isEqualTo(BackupStatus.READY);
        assertThat(Path.of(written.archive())).isRegularFile();
        chromium.screenshot("backups-written");
    }

    @Test
    @Order(3)
    void restoreBringsTheFileBack() throws Exception {
        run("sh", "-c", "echo after > " + FILE + " && sync");
        pages.waitFor(d -> pages.enabled("backup-restore-" + written.id()) ? true : null);
        pages.click("backup-restore-" + written.id());
        assertThat(pages.waitFor(d -> d.findElement(By.id("confirm-backup-" + written.id()))).getDomProperty("header"))
                .isEqualTo("Restore bella1.example.com from 'before upgrade'?");
        pages.confirm();
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ restore: succeeded.*") ? true : null, JOB);
        waitForPower("running");
        assertThat(run("cat", FILE).stdout()).isEqualTo("before\n");
    }

    @Test
    @Order(4)
    void aScheduleNeedsARetention() {
        pages.choose("backup-frequency", "daily");
        pages.type("backup-retention", "0");
        pages.click("backup-schedule-save");
        pages.waitFor(d -> pages.fieldError("backup-retention").isEmpty() ? null : true);
        assertThat(pages.fieldError("backup-retention")).isEqualTo("Keep between 1 and 100 scheduled backups");
        assertThat(backups.list(customer, serverId).schedule()).isNull();
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
