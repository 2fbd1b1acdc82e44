package dev.slice.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.notification.NotificationService;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer's hard power actions on a real container, from the server page: reset (confirmed; the container's init
 * is a new process afterwards, the server runs) and power off (confirmed; the container is stopped and the console
 * goes), both as jobs run to the end.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerPowerBrowserTest {
    private static final Duration JOB = Duration.ofMinutes(3);

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @Autowired DriverRegistry drivers;
    @Autowired NotificationService notifications;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;
    private GuestId guest;

    @BeforeAll
    void aRunningServer() {
        customer = fixture.customer("gina");
        serverId = fixture.runningContainer(customer, "gina1.example.com", "Gina-First-Pass-11");
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
    void resetRestartsTheContainerAtOnce() throws Exception {
        pages.waitFor(d -> d.findElement(By.id("console-" + serverId)));
        String initBefore = initStart();
        pages.waitFor(d -> pages.enabled("server-reset") ? true : null);
        pages.click("server-reset");
        assertThat(pages.waitFor(d -> d.findElement(By.id("confirm-server-reset"))).getDomProperty("header"))
                .isEqualTo("Reset gina1.example.com?");
        pages.confirm();
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ reset: succeeded.*") ? true : null, JOB);
        waitForPower("running");
        assertThat(fixture.guestState(servers.get(customer, serverId))).isEqualTo(GuestState.RUNNING);
        assertThat(initStart()).as("the container's init started anew").isNotEqualTo(initBefore);
        chromium.screenshot("power-after-reset");
    }

    @Test
    @Order(2)
    void powerOffStopsTheContainerAndTheConsoleGoes() {
        pages.waitFor(d -> pages.enabled("server-power-off") ? true : null);
        pages.click("server-power-off");
        assertThat(pages.waitFor(d -> d.findElement(By.id("confirm-server-power-off"))).getDomProperty("header"))
                .isEqualTo("Power off gina1.example.com?");
        pages.confirm();
        pages.waitFor(d -> pages.content("job-status").matches("Job #\\d+ power_off: succeeded.*") ? true : null, JOB);
        waitForPower("stopped");
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.STOPPED);
        assertThat(fixture.guestState(servers.get(customer, serverId))).isEqualTo(GuestState.STOPPED);
        assertThat(chromium.driver().findElements(By.id("console-" + serverId))).isEmpty();
        // Stopped, it cannot be powered off or reset again; it can be started.
        assertThat(pages.enabled("server-power-off")).isFalse();
        assertThat(pages.enabled("server-reset")).isFalse();
        assertThat(pages.enabled("server-start")).isTrue();
        chromium.screenshot("power-off");
    }

    /** The bell counts the finished jobs (the order, the reset, the power-off) and lists them; opening it reads them. */
    @Test
    @Order(3)
    void theBellToldOfEveryFinishedJobAndOpeningItReadsThem() {
        assertThat(notifications.unread(customer)).as("the service's count: %s", notifications.inbox(customer, 10))
                .isGreaterThanOrEqualTo(3);
        pages.open("/server/" + serverId);
        pages.waitFor(d -> d.findElement(By.id("notifications")));
        String unread = pages.waitFor(d -> {
            List<WebElement> badge = d.findElements(By.id("notifications-unread"));
            String text = badge.isEmpty() ? "" : String.valueOf(badge.getFirst().getDomProperty("textContent")).strip();
            return text.matches("\\d+") && badge.getFirst().isDisplayed() ? text : null;
        });
        assertThat(Integer.parseInt(unread)).as("the order, the reset and the power-off at least").isGreaterThanOrEqualTo(3);
        pages.click("notifications");
        String list = pages.waitFor(d -> {
            List<WebElement> shown = d.findElements(By.id("notifications-list"));
            String text = shown.isEmpty() ? "" : String.valueOf(shown.getFirst().getDomProperty("textContent"));
            return text.contains("Power-off of gina1.example.com finished.") ? text : null;
        });
        assertThat(list).contains("Reset of gina1.example.com finished.", "Order of gina1.example.com finished.");
        chromium.screenshot("notifications");
        assertThat(notifications.unread(customer)).as("read once opened").isZero();
        pages.open("/server/" + serverId);
        pages.waitFor(d -> d.findElement(By.id("notifications")));
        assertThat(chromium.driver().findElements(By.id("notifications-unread")).stream().noneMatch(WebElement::isDisplayed))
                .as("no unread badge after a reload").isTrue();
    }

    /** When the container's init started (clock ticks since host boot, /proc/1/stat field 22): new after a restart. */
    private String initStart() throws InterruptedException {
        GuestExec exec = drivers.driver(BackendKind.OCI).orElseThrow().capability(GuestExec.class).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                GuestExec.ExecResult result = exec.exec(guest, ExecCommand.of(Duration.ofSeconds(20), "sh", "-c",
                        "cut -d' ' -f22 /proc/1/stat"));
                assertThat(result.exitCode()).as(result.stderr()).isZero();
                assertThat(result.stdout().strip()).matches("\\d+");
                return result.stdout().strip();
            } catch (dev.slice.driver.DriverException notYet) {
                if (System.nanoTime() > deadline) throw notYet;
                Thread.sleep(200);
            }
        }
    }

    private void waitForPower(String state) {
        pages.waitFor(d -> pages.content("power-" + serverId).equals(state) ? true : null, JOB);
    }
}
