package dev.slice.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.testing.EmulatorPanelTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer suspends and resumes a real emulator guest (the busybox guest, one hart) from the server page: after
 * Suspend the power shows "suspended", the guest's machine is saved on the host and the console is gone; after Resume
 * it runs again and a shell variable set before the suspend is still there on the browser console.
 */
@EmulatorPanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspendBrowserTest {
    private static final Duration JOB = Duration.ofMinutes(3);

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired PlanService plans;
    @Autowired DriverRegistry drivers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private Long serverId;

    @BeforeAll
    void aRunningEmulatorServer() {
        customer = fixture.customer("sleeper");
        Plan plan = plans.catalogue(customer).stream().filter(p -> p.backendKind() == BackendKind.EMULATOR && p.vcpus() == 1)
                .min(Comparator.comparingLong(Plan::memoryMiB))
                .orElseThrow(() -> new AssertionError("no 1-vCPU emulator plan: " + drivers.status(BackendKind.EMULATOR)));
        long id = orders.order(customer, new OrderRequest(plan.id(), "sleeper1.example.com", "debian-12", "Sleeper-First-Pass-11",
                List.of(), null)).serverId();
        serverId = id;
        PanelFixture.waitUntil(JOB, () -> servers.get(customer, id).activeJobId() == null, "provisioned");
        assertThat(servers.get(customer, id).powerState()).isEqualTo(PowerState.RUNNING);
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(customer.username(), PanelFixture.PASSWORD);
        pages.open("/server/" + id);
    }

    @AfterAll
    void cleanUp() {
        try {
            if (serverId != null) fixture.deleteAndWait(serverId);
        } finally {
            if (chromium != null) chromium.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void suspendAndResumeFromTheServerPage() {
        long id = serverId;
        pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + id)).getDomAttribute("data-state")) ? true : null);
        shell(id, "KEPT=value-$((6*7)); echo SET=$((40+3))", "SET=43");

        pages.waitFor(d -> enabled("server-suspend") ? true : null);
        assertThat(enabled("server-resume")).isFalse();
        pages.click("server-suspend");
        pages.confirm();
        pages.waitFor(d -> pages.text("power-" + id).equals("suspended") ? true : null, JOB);
        chromium.screenshot("server-suspended");
        Server suspended = servers.get(customer, id);
        assertThat(suspended.powerState()).isEqualTo(PowerState.SUSPENDED);
        assertThat(pages.text("status-" + id)).isEqualTo("active");
        GuestId guest = GuestId.of(suspended.guestId());
        var emulator = drivers.driver(BackendKind.EMULATOR).orElseThrow();
        assertThat(emulator.state(guest)).isEqualTo(GuestState.STOPPED);
        assertThat(emulator.capability(Suspend.class).orElseThrow().isSuspended(guest)).isTrue();
        assertThat(chromium.driver().findElements(By.id("console-" + id))).as("no console while suspended").isEmpty();
        assertThat(enabled("server-start")).isFalse();

        pages.waitFor(d -> enabled("server-resume") ? true : null);
        pages.click("server-resume");
        pages.waitFor(d -> pages.text("power-" + id).equals("running") ? true : null, JOB);
        assertThat(emulator.state(guest)).isEqualTo(GuestState.RUNNING);
        pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + id)).getDomAttribute("data-state")) ? true : null);
        shell(id, "echo GOT=$KEPT", "GOT=value-42");
        chromium.screenshot("server-resumed");
    }

    /** Vaadin marks a disabled button with the attribute; WebDriver's isEnabled() does not look at custom elements. */
    private boolean enabled(String id) {
        return chromium.driver().findElement(By.id(id)).getDomAttribute("disabled") == null;
    }

    /** Types a command on the browser console until its answer shows (the first keys may reach a console still opening). */
    private void shell(long id, String command, String answer) {
        Pattern expected = Pattern.compile("(?m)^" + Pattern.quote(answer) + "\\s*$");
        for (int attempt = 1; ; attempt++) {
            pages.typeIntoConsole(id, command, Keys.ENTER);
            try {
                pages.waitForConsole(id, expected, Duration.ofSeconds(20));
                return;
            } catch (RuntimeException | AssertionError notYet) {
                if (attempt == 3) throw notYet;
            }
        }
    }
}
