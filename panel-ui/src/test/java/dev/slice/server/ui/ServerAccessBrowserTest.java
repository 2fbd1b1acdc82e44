package dev.slice.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer can neither see another customer's server page nor attach to its console WebSocket; the
 * owner can (the positive control, so a refusal is not just a broken endpoint).
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerAccessBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor owner;
    private Actor stranger;
    private long serverId;

    @BeforeAll
    void ownerHasARunningServer() {
        owner = fixture.customer("owner");
        stranger = fixture.customer("stranger");
        serverId = orders.order(owner, new OrderRequest(fixture.smallContainerPlan(owner).id(), "private.example.com", "debian-12",
                "Owner-Only-Console-9", List.of(), null)).serverId();
        PanelFixture.waitUntil(Duration.ofMinutes(3), () -> servers.get(owner, serverId).activeJobId() == null, "server provisioned");
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
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
    void anotherCustomerGetsNotFoundForTheServerPageAndARefusedConsole() {
        pages.signIn(stranger.username(), PanelFixture.PASSWORD);

        pages.open("/server/" + serverId);
        pages.waitFor(d -> d.findElement(By.id("not-found")));
        chromium.screenshot("stranger-server-page");
        assertThat(chromium.driver().getPageSource()).doesNotContain("private.example.com");
        assertThat(chromium.driver().findElements(By.id("console-" + serverId))).isEmpty();

        assertThat(pages.tryConsoleSocket(serverId)).isEqualTo("refused");

        pages.open("/servers");
        assertThat(chromium.driver().findElements(By.id("status-" + serverId))).isEmpty();
    }

    @Test
    void aCustomerCannotOpenTheOperatorsOrResellersPages() {
        pages.signIn(stranger.username(), PanelFixture.PASSWORD);
        for (String page : List.of("/nodes", "/jobs", "/audit", "/plans", "/accounts")) {
            pages.open(page);
            pages.waitFor(d -> d.findElement(By.id("no-such-page")));
            assertThat(chromium.driver().findElements(By.id("node-local"))).isEmpty();
            assertThat(chromium.driver().findElements(By.cssSelector("vaadin-grid"))).isEmpty();
        }
        chromium.screenshot("customer-operator-page");
        assertThat(chromium.driver().findElement(By.tagName("vaadin-side-nav")).getText())
                .contains("Servers", "Order a server").doesNotContain("Nodes", "Job log", "Audit log", "Customers");
    }

    @Test
    void theOwnerSeesThePageAndItsConsoleConnects() {
        pages.signIn(owner.username(), PanelFixture.PASSWORD);

        pages.open("/server/" + serverId);
        assertThat(pages.text("server-address")).startsWith("10.79.12.");
        assertThat(pages.tryConsoleSocket(serverId)).isEqualTo("open");

        pages.open("/servers");
        assertThat(pages.text("status-" + serverId)).isEqualTo("active");
    }
}
