package dev.slice.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.server.PowerState;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.Comparator;
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
 * The operator's server list in Chromium over three real containers: the search narrows to one customer's servers,
 * the status filter to the suspended one, the hostname column sorts both ways, and a bulk stop of all three stops the
 * two active ones and says why the suspended one was not stopped.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ServerListBrowserTest {
    private static final Duration JOB = Duration.ofMinutes(3);

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private List<Long> ids;
    private String a;
    private String b;
    private String c;

    @BeforeAll
    void threeContainersOneSuspended() {
        customer = fixture.customer("lisa");
        a = customer.username() + "-a";
        b = customer.username() + "-b";
        c = customer.username() + "-c";
        ids = List.of(fixture.runningContainer(customer, a, "Lisa-First-Pass-11"), fixture.runningContainer(customer, b, "Lisa-First-Pass-11"),
                fixture.runningContainer(customer, c, "Lisa-First-Pass-11"));
        Actor operator = fixture.operator();
        servers.suspend(operator, ids.get(2));
        PanelFixture.waitUntil(JOB, () -> servers.get(operator, ids.get(2)).activeJobId() == null, c + " suspended");
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
        pages.open("/servers");
    }

    @AfterAll
    void cleanUp() {
        try {
            if (ids != null) ids.forEach(fixture::deleteAndWait);
        } finally {
            if (chromium != null) chromium.close();
        }
    }

    @Test
    @Order(1)
    void searchFilterAndSortNarrowAndOrderTheList() {
        pages.type("servers-search", customer.username());
        pages.waitFor(d -> hostnamesShown().equals(List.of(a, b, c)) ? true : null);

        pages.choose("servers-status", "suspended");
        pages.waitFor(d -> hostnamesShown().equals(List.of(c)) ? true : null);
        pages.choose("servers-status", "Any status");
        pages.waitFor(d -> hostnamesShown().size() == 3 ? true : null);

        sorter("Hostname").click();
        pages.waitFor(d -> hostnamesShown().equals(List.of(a, b, c)) ? true : null);
        sorter("Hostname").click();
        pages.waitFor(d -> hostnamesShown().equals(List.of(c, b, a)) ? true : null);

        pages.type("servers-search", customer.username() + "-nothing");
        String empty = pages.waitFor(d -> pages.content("servers-empty").startsWith("Nothing") ? pages.content("servers-empty") : null);
        assertThat(empty).startsWith("Nothing matches the search");
        chromium.screenshot("server-list-filtered");
    }

    @Test
    @Order(2)
    void aBulkStopStopsTheActiveServersAndSaysWhyNotTheSuspendedOne() {
        pages.type("servers-search", customer.username());
        pages.waitFor(d -> hostnamesShown().size() == 3 ? true : null);
        assertThat(pages.enabled("bulk-stop")).isFalse();
        for (WebElement checkbox : pages.waitFor(d -> rowCheckboxes().size() == 3 ? rowCheckboxes() : null)) checkbox.click();
        pages.waitFor(d -> pages.content("bulk-selected").equals("3 selected") ? true : null);
        pages.click("bulk-stop");

        String first = pages.waitFor(d -> pages.content("bulk-result-" + ids.get(0)));
        assertThat(first).matches(a + ": stop queued \\(job \\d+\\)");
        assertThat(pages.content("bulk-result-" + ids.get(1))).matches(b + ": stop queued \\(job \\d+\\)");
        assertThat(pages.content("bulk-result-" + ids.get(2))).isEqualTo(c + ": not done — cannot stop a server that is suspended");
        Actor operator = fixture.operator();
        for (long id : ids.subList(0, 2)) {
            PanelFixture.waitUntil(JOB, () -> servers.get(operator, id).powerState() == PowerState.STOPPED, "server " + id + " stopped");
        }
        assertThat(servers.get(operator, ids.get(2)).status()).isEqualTo(ServerStatus.SUSPENDED);
        pages.waitFor(d -> pages.content("power-" + ids.get(0)).equals("stopped") && pages.content("power-" + ids.get(1)).equals("stopped")
                ? true : null, Duration.ofSeconds(30));
        chromium.screenshot("server-list-bulk-stop");
    }

    /** The hostname cells top to bottom as they are drawn (the grid reuses its row elements in any DOM order). */
    private List<String> hostnamesShown() {
        return chromium.driver().findElement(By.id("servers")).findElements(By.cssSelector("vaadin-grid-cell-content")).stream()
                .filter(cell -> cell.getText().strip().matches(java.util.regex.Pattern.quote(customer.username()) + "-[a-z]+"))
                .filter(WebElement::isDisplayed)
                .sorted(Comparator.comparingInt(cell -> cell.getRect().getY()))
                .map(cell -> cell.getText().strip()).toList();
    }

    private WebElement sorter(String header) {
        return pages.waitFor(d -> d.findElement(By.id("servers")).findElements(By.cssSelector("vaadin-grid-sorter")).stream()
                .filter(s -> s.getText().strip().equals(header)).findFirst().orElse(null));
    }

    /** The selection checkboxes of the body rows (not the header's select-all). */
    private List<WebElement> rowCheckboxes() {
        return chromium.driver().findElement(By.id("servers")).findElements(By.cssSelector("vaadin-grid-cell-content vaadin-checkbox")).stream()
                .filter(WebElement::isDisplayed).filter(box -> !"Select All".equals(box.getDomAttribute("aria-label"))).toList();
    }
}
