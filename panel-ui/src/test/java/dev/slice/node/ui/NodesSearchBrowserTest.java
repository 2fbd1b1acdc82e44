package dev.slice.node.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.node.NodeService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 12, every list searchable: the Nodes page lists the host's own node and one added for an agent that has not
 * registered; typing narrows the list and the cards below it, the state filter does too, a search that matches
 * nothing shows the empty state, and a click on a column header orders the cards. No guests.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodesSearchBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired NodeService nodes;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private long added;
    private String name;

    @BeforeAll
    void aSecondNodeAwaitsItsAgent() {
        name = "zz-search-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
        added = nodes.add(fixture.operator(), name).node().node().id();
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
    }

    @AfterAll
    void removeTheNode() {
        try {
            // It never had an agent, a server or a probe: its agent row is all that refers to it.
            jdbc.sql("delete from node_agent where node_id = ?").param(added).update();
            jdbc.sql("delete from node where id = ?").param(added).update();
        } finally {
            chromium.close();
        }
    }

    @Test
    void typingNarrowsTheNodesAndNothingMatchingShowsTheEmptyState() {
        pages.open("/nodes");
        pages.waitForGridCell("nodes", name);
        assertThat(pages.gridCells("nodes")).contains("local", name, "awaiting agent");
        assertThat(cards()).containsExactly("node-local", "node-" + name);

        pages.type("nodes-search", "zz-search");
        pages.waitFor(d -> pages.gridCells("nodes").contains("local") ? null : true);
        assertThat(pages.gridCells("nodes")).contains(name);
        assertThat(cards()).containsExactly("node-" + name);

        // The state is searched as words too: "awaiting" finds the node whose agent has not registered.
        pages.type("nodes-search", "awaiting");
        pages.waitFor(d -> cards().equals(List.of("node-" + name)) ? true : null);

        pages.type("nodes-search", "no-such-node-anywhere");
        pages.waitFor(d -> d.findElement(By.id("nodes-empty")).isDisplayed() ? true : null);
        assertThat(pages.text("nodes-empty")).contains("Nothing matches the search or filters");
        assertThat(cards()).isEmpty();
        chromium.screenshot("nodes-search-empty");

        // Emptied as a person would (select all, delete): every node comes back.
        chromium.driver().findElement(By.cssSelector("#nodes-search input")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        pages.waitFor(d -> cards().size() == 2 ? true : null);
        pages.choose("nodes-state", "awaiting agent");
        pages.waitFor(d -> cards().equals(List.of("node-" + name)) ? true : null);
        pages.choose("nodes-state", "Any state");
        pages.waitFor(d -> cards().size() == 2 ? true : null);
    }

    @Test
    void aClickOnAHeaderOrdersTheListAndTheCards() {
        pages.open("/nodes");
        pages.waitForGridCell("nodes", name);
        WebElement sorter = pages.waitFor(d -> d.findElement(By.id("nodes")).findElements(By.cssSelector("vaadin-grid-sorter")).stream()
                .filter(s -> s.getText().strip().equals("Node")).findFirst().orElse(null));
        sorter.click(); // ascending
        pages.waitForVaadin();
        assertThat(cards()).containsExactly("node-local", "node-" + name);
        sorter.click(); // descending
        pages.waitFor(d -> cards().equals(List.of("node-" + name, "node-local")) ? true : null);
        List<String> cells = pages.gridCells("nodes");
        assertThat(cells.indexOf(name)).isLessThan(cells.indexOf("local"));
    }

    /** The ids of the node cards on the page, top to bottom. */
    private List<String> cards() {
        return chromium.driver().findElements(By.cssSelector("#nodes-cards > [id^=node-]")).stream().map(e -> e.getDomAttribute("id")).toList();
    }
}
