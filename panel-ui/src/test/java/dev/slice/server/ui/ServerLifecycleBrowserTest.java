package dev.slice.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.account.PasswordPolicy;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.server.PowerState;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
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
 * The power and maintenance actions on a real container, from the server page: stop and start (the console
 * goes and comes back), reboot, resize (offered because the OCI backend can) and reinstall with a new root
 * password, which the console login then proves.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerLifecycleBrowserTest {

    private static final Duration JOB = Duration.ofMinutes(3);

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @Autowired PlanService plans;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;

    @BeforeAll
    void aRunningServer() {
        customer = fixture.customer("frank");
        serverId = fixture.runningContainer(customer, "frank1.example.com", "Frank-First-Pass-11");
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
    void stopAndStartAfterConfirmation() {
        pages.waitFor(d -> d.findElement(By.id("console-" + serverId)));
        pages.click("server-stop");
        pages.confirm();
        waitForPower("stopped");
        assertThat(chromium.driver().findElements(By.id("console-" + serverId))).isEmpty();
        assertThat(pages.content("server-notice")).contains("not running", "usage counters", "console", "Start it to see them again");
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.STOPPED);
        chromium.screenshot("lifecycle-stopped");

        pages.click("server-start");
        waitForPower("running");
        pages.waitFor(d -> d.findElement(By.id("console-" + serverId)));
        assertThat(servers.get(customer, serverId).powerState()).isEqualTo(PowerState.RUNNING);
        assertThat(chromium.driver().findElement(By.id("server-notice")).isDisplayed()).as("no hint while it runs").isFalse();
    }

    @Test
    @Order(2)
    void rebootRunsItsJobToTheEnd() {
        pages.waitFor(d -> pages.enabled("server-reboot") ? true : null);
        pages.click("server-reboot");
        pages.confirm();
        String status = pages.waitFor(d -> pages.text("job-status").matches("Job #\\d+ reboot: succeeded.*") ? pages.text("job-status") : null, JOB);
        waitForPower("running");

        // The job's own page names the server and its owner, and stamps its output to the second.
        long jobId = Long.parseLong(status.replaceAll("Job #(\\d+) .*", "$1"));
        pages.open("/jobs/job/" + jobId);
        assertThat(pages.content("job-facts")).startsWith("Server frank1.example.com (" + customer.username() + ") · created ");
        assertThat(pages.content("job-output").lines().toList()).isNotEmpty()
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\S.*"));

        // The operator's job log too, where the same server is found by its hostname.
        try (HeadlessChromium operatorBrowser = new HeadlessChromium()) {
            PanelPages operator = new PanelPages(operatorBrowser.driver(), "http://localhost:" + port);
            operator.signIn(fixture.operator().username(), PanelAppTest.OPERATOR_PASSWORD);
            operator.open("/jobs");
            operator.type("jobs-search", "frank1.example");
            operator.waitForGridCell("jobs", "frank1.example.com (" + customer.username() + ")");
            assertThat(operator.gridCells("jobs")).noneMatch(cell -> cell.equals("#" + serverId));
        }
        pages.open("/server/" + serverId);
        waitForPower("running");
    }

    @Test
    @Order(3)
    void resizeMovesTheServerToALargerPlan() {
        Plan medium = plans.catalogue(customer).stream().filter(p -> p.name().equals("oci-m")).findFirst().orElseThrow();
        pages.waitFor(d -> pages.enabled("server-resize") ? true : null);
        pages.click("server-resize");
        pages.waitFor(d -> d.findElement(By.id("resize-plan"))).click();
        pages.waitFor(d -> d.findElement(By.xpath("//vaadin-select-item[starts-with(normalize-space(.), 'oci-m')]"))).click();
        pages.click("resize-confirm");
        pages.waitFor(d -> pages.text("job-status").matches("Job #\\d+ resize: succeeded.*") ? true : null, JOB);
        waitForPower("running");
        Server server = servers.get(customer, serverId);
        assertThat(server.planId()).isEqualTo(medium.id());
        pages.waitFor(d -> pages.text("server-resources").startsWith(medium.vcpus() + " vCPU") ? true : null);
    }

    @Test
    @Order(4)
    void reinstallWithANewPasswordAndLogInWithIt() {
        pages.waitFor(d -> pages.enabled("server-reinstall") ? true : null);
        pages.click("server-reinstall");
        pages.type("reinstall-password", "weak");
        pages.click("reinstall-confirm");
        pages.waitFor(d -> pages.fieldError("reinstall-password").isEmpty() ? null : true);
        assertThat(pages.fieldError("reinstall-password")).contains("at least 10 characters");
        // The rule the field explains is the one the refusal names, with the user name it must not contain.
        String rule = PasswordPolicy.rule("root");
        assertThat(helperText("reinstall-password")).isEqualTo(rule);
        pages.type("reinstall-password", "My-Root-Password-7");
        pages.click("reinstall-confirm");
        pages.waitFor(d -> pages.fieldError("reinstall-password").contains("user name") ? true : null);
        assertThat(pages.fieldError("reinstall-password"))
                .isEqualTo("The password contains the user name (root); it needs " + rule.substring(0, 1).toLowerCase() + rule.substring(1));

        pages.type("reinstall-password", "Frank-Second-Pass-22");
        chromium.screenshot("lifecycle-reinstall");
        pages.click("reinstall-confirm");
        pages.waitFor(d -> pages.text("job-status").matches("Job #\\d+ reinstall: succeeded.*") ? true : null, JOB);
        pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state")) ? true : null);

        pages.typeIntoConsole(serverId, Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("login: ?$", Pattern.MULTILINE), Duration.ofMinutes(1));
        pages.typeIntoConsole(serverId, "root", Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("Password: ?$", Pattern.MULTILINE), Duration.ofSeconds(30));
        pages.typeIntoConsole(serverId, "Frank-Second-Pass-22", Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("root@frank1[^\\n]*[#$] ?$", Pattern.MULTILINE), Duration.ofSeconds(30));
        pages.typeIntoConsole(serverId, "echo reinstalled-$((20+3))", Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("^reinstalled-23\\s*$", Pattern.MULTILINE), Duration.ofSeconds(30));
        chromium.screenshot("lifecycle-console-after-reinstall");
    }

    private String helperText(String fieldId) {
        return String.valueOf(((org.openqa.selenium.JavascriptExecutor) chromium.driver())
                .executeScript("return arguments[0].helperText || ''", chromium.driver().findElement(By.id(fieldId))));
    }

    private void waitForPower(String state) {
        pages.waitFor(d -> pages.text("power-" + serverId).equals(state) ? true : null, JOB);
    }
}
