package dev.slice.firewall.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.driver.GuestId;
import dev.slice.driver.capability.HostInterface;
import dev.slice.driver.firewall.FirewallAction;
import dev.slice.driver.firewall.NftFirewall;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.firewall.FirewallService;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A customer edits the firewall of a real container from the Firewall section of its server page: a bad source is
 * shown beside its field and changes nothing, a good rule appears in the list and in the host's nftables chain of the
 * container's interface, the default action turns to deny, and a deleted rule is gone from both.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FirewallBrowserTest {
    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @Autowired FirewallService firewalls;
    @Autowired DriverRegistry drivers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private long serverId;
    private String device;

    @BeforeAll
    void aRunningServer() {
        customer = fixture.customer("wall");
        serverId = fixture.runningContainer(customer, "wall1.example.com", "Wall-First-Pass-11");
        device = drivers.driver(BackendKind.OCI).orElseThrow().capability(HostInterface.class).orElseThrow()
                .hostInterface(GuestId.of(servers.get(customer, serverId).guestId()));
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
    void editTheRulesFromTheServerPage() {
        pages.waitFor(d -> pages.content("firewall-summary").startsWith("0 of ") ? true : null);
        pages.type("firewall-ports", "8080");
        pages.type("firewall-source", "10.1.2.0/33");
        pages.click("firewall-add");
        pages.waitFor(d -> pages.fieldError("firewall-source").isEmpty() ? null : true);
        assertThat(pages.fieldError("firewall-source")).contains("prefix length");
        assertThat(firewalls.get(customer, serverId).rules()).isEmpty();

        pages.type("firewall-source", "10.1.2.0/24");
        pages.click("firewall-add");
        pages.waitForGridCell("firewall-grid", "10.1.2.0/24");
        pages.waitFor(d -> pages.content("firewall-summary").startsWith("1 of ") ? true : null);
        assertThat(firewalls.get(customer, serverId).rules()).hasSize(1);
        NftFirewall nft = new NftFirewall(new ProcessRunner());
        assertThat(nft.list(device)).contains("ip saddr 10.1.2.0/24 tcp dport 8080 accept");

        pages.choose("firewall-default", "deny");
        pages.waitFor(d -> firewalls.get(customer, serverId).defaultAction() == FirewallAction.DENY ? true : null);
        assertThat(nft.list(device)).containsPattern("accept\\s+drop\\s+}");
        chromium.screenshot("firewall-rules");

        pages.click("firewall-delete-0");
        pages.waitFor(d -> pages.content("firewall-summary").startsWith("0 of ") ? true : null);
        pages.waitFor(d -> d.findElement(By.id("firewall-grid")).getDomAttribute("hidden") != null ? true : null);
        assertThat(firewalls.get(customer, serverId).rules()).isEmpty();
        assertThat(nft.list(device)).doesNotContain("8080");
    }
}
