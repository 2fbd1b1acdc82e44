package dev.slice.order.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.GuestState;
import dev.slice.plan.Plan;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer's whole journey in a real browser against the real application: sign in, order a container
 * from the catalogue, watch it provision, log in on its console and run a command, see its usage chart,
 * then delete it.
 * The guest is a real runc container built from the Debian 12 template.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderAndConsoleBrowserTest {

    private static final String ROOT_PASSWORD = "Panel-Console-Key-42";

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;

    @BeforeAll
    void signIn() {
        customer = fixture.customer("alice");
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(customer.username(), PanelFixture.PASSWORD);
    }

    @AfterAll
    void cleanUp() {
        try {
            if (serverId != 0) fixture.deleteAndWait(serverId);
        } finally {
            chromium.close();
        }
    }

    @Test
    @Order(1)
    void theCustomerOrdersAContainerAndWatchesItProvision() {
        Plan plan = fixture.smallContainerPlan(customer);
        pages.open("/catalogue");
        chromium.screenshot("customer-catalogue");
        pages.click("order-plan-" + plan.id());
        assertThat(pages.text("order-plan")).contains(plan.vcpus() + " vCPU");

        pages.type("order-hostname", "web1.example.com");
        pages.type("order-password", ROOT_PASSWORD);
        chromium.screenshot("customer-order-form");
        pages.click("order-submit");

        // The server page takes over and shows the create job's steps while they run.
        pages.waitFor(d -> d.getCurrentUrl().contains("/server/") ? true : null);
        serverId = Long.parseLong(chromium.driver().getCurrentUrl().replaceAll(".*/server/(\\d+).*", "$1"));
        pages.waitFor(d -> d.findElement(By.id("job-steps")).isDisplayed() ? true : null);
        chromium.screenshot("customer-provisioning");

        pages.waitFor(d -> pages.text("status-" + serverId).equals("active")
                && pages.text("power-" + serverId).equals("running") ? true : null, Duration.ofMinutes(3));
        assertThat(pages.text("job-status")).contains("succeeded");
        assertThat(chromium.driver().findElements(By.cssSelector("#job-steps li[data-status=done]"))).hasSize(5);

        Server server = servers.get(customer, serverId);
        assertThat(server.status()).isEqualTo(ServerStatus.ACTIVE);
        assertThat(server.powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(pages.content("server-address")).isEqualTo(server.ipv4()).startsWith("10.79.12.");
        assertThat(fixture.guestState(server)).isEqualTo(GuestState.RUNNING);
    }

    @Test
    @Order(2)
    void theCustomerLogsInOnTheConsoleAndRunsACommand() {
        pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state")) ? true : null,
                Duration.ofSeconds(30));
        // The getty may have printed its prompt before the browser attached: a newline asks again.
        pages.typeIntoConsole(serverId, Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("login: ?$", Pattern.MULTILINE), Duration.ofMinutes(1));
        pages.typeIntoConsole(serverId, "root", Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("Password: ?$", Pattern.MULTILINE), Duration.ofSeconds(30));
        pages.typeIntoConsole(serverId, ROOT_PASSWORD, Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("root@web1[^\\n]*[#$] ?$", Pattern.MULTILINE), Duration.ofSeconds(30));

        pages.typeIntoConsole(serverId, "echo \"sum=$((6*7))\"; hostname", Keys.ENTER);
        // The hostname is the command's last line: waiting for the sum alone raced the rendering of the line after it.
        String text = pages.waitForConsole(serverId, Pattern.compile("^web1\\.example\\.com\\s*$", Pattern.MULTILINE),
                Duration.ofSeconds(30));
        chromium.screenshot("customer-console");
        assertThat(text).containsPattern("(?m)^sum=42\\s*$");
    }

    @Test
    @Order(3)
    void theServerPageChartsTheGuestsUsage() {
        // Each refresh samples the OCI driver's counters; two samples make the first point of the chart.
        pages.waitFor(d -> {
            String points = d.findElement(By.id("usage-chart")).getDomAttribute("data-points");
            return points != null && Integer.parseInt(points) >= 2 ? true : null;
        });
        // The box's own text: Selenium's getText() read "" here although the chart inside it was laid out 900 px wide.
        var stats = chromium.driver().findElement(By.id("server-stats"));
        assertThat(stats.getDomProperty("textContent")).as("the usage box as the page has it: %s", stats.getDomProperty("outerHTML"))
                .contains("CPU time", "Memory");
        assertThat(stats.getRect().getHeight()).as("the usage box takes room on the page").isPositive();
        assertThat(chromium.driver().findElements(By.cssSelector("#usage-chart canvas"))).hasSize(1);
        chromium.screenshot("customer-usage");
    }

    @Test
    @Order(4)
    void deletingAfterConfirmationDestroysTheGuest() {
        Server server = servers.get(customer, serverId);
        pages.click("server-delete");
        pages.waitFor(d -> d.findElement(By.id("confirm-delete")));
        chromium.screenshot("customer-confirm-delete");
        pages.confirm();

        pages.waitFor(d -> pages.text("status-" + serverId).equals("deleted") ? true : null, Duration.ofMinutes(3));
        assertThat(servers.get(customer, serverId).status()).isEqualTo(ServerStatus.DELETED);
        assertThat(fixture.guestState(server)).isEqualTo(GuestState.ABSENT);
        pages.waitFor(d -> pages.content("server-notice").contains("has been deleted") ? true : null);
        assertThat(pages.content("server-notice")).contains("address was released");
        assertThat(pages.content("server-address")).isEqualTo("released (was " + server.ipv4() + ")");
        assertThat(chromium.driver().findElements(By.id("server-delete")).stream().filter(e -> e.isDisplayed()).toList())
                .as("no actions on a deleted server").isEmpty();
        pages.open("/servers");
        assertThat(chromium.driver().findElements(By.id("status-" + serverId))).isEmpty();
    }
}
