package dev.slice.node.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.node.Node;
import dev.slice.node.NodeService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderResult;
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
import org.openqa.selenium.Dimension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator's pages: the node with its capacity and which backends were found (and why the others are
 * missing), every customer's servers, the job log down to a job's steps and output, and the audit log.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired NodeService nodes;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private OrderResult order;

    @BeforeAll
    void aCustomerHasAServer() {
        Actor customer = fixture.customer("erin");
        order = orders.order(customer, new OrderRequest(fixture.smallContainerPlan(customer).id(), "erin1.example.com", "debian-12",
                "Erin-Server-Pass-4", List.of(), null));
        PanelFixture.waitUntil(Duration.ofMinutes(3), () -> servers.get(customer, order.serverId()).activeJobId() == null, "provisioned");
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
    }

    @AfterAll
    void cleanUp() {
        try {
            fixture.deleteAndWait(order.serverId());
        } finally {
            chromium.close();
        }
    }

    @Test
    void theNodePageShowsCapacityAndWhichBackendsWereFound() {
        pages.open("/");
        pages.waitFor(d -> d.findElement(By.id("node-local")));
        chromium.screenshot("operator-nodes");
        String node = chromium.driver().findElement(By.id("node-local")).getText();
        assertThat(node).contains("vCPUs:").contains("Memory:").contains("Disk:").contains("allocated");
        List<String> backends = pages.gridCells("backends-local");
        assertThat(backends).containsSubsequence("oci", "found", "oci:runc");
        assertThat(backends).as("each backend's own capacity beside what its servers hold")
                .anyMatch(cell -> cell.matches("\\d+ vCPUs · .+ · .+ disk; (no servers|\\d+ servers?: .+)"));
        assertThat(backends).containsSubsequence("xen", "missing");
        assertThat(backends).anyMatch(cell -> cell.startsWith("Xen is used only on a Xen dom0 configured for it"));
    }

    @Test
    void theOperatorChangesTheOvercommitWithinItsLimits() {
        Node before = nodes.list(fixture.operator()).getFirst().node();
        try {
            pages.open("/nodes");
            pages.click("overcommit-local");
            pages.type("overcommit-cpu", "0");
            pages.click("overcommit-save");
            pages.waitFor(d -> pages.fieldError("overcommit-cpu").isEmpty() ? null : true);
            assertThat(pages.fieldError("overcommit-cpu")).contains("A ratio between 0.1 and 64");

            pages.type("overcommit-cpu", "6");
            pages.click("overcommit-save");
            pages.waitFor(d -> pages.text("node-local").contains("× 6.0 overcommit") ? true : null);
            assertThat(nodes.list(fixture.operator()).getFirst().node().cpuOvercommit()).isEqualTo(6.0);
            assertThat(pages.text("findings")).contains("Reconciler findings");
        } finally {
            nodes.setOvercommit(fixture.operator(), before.id(), before.cpuOvercommit(), before.memoryOvercommit(), before.diskOvercommit());
        }
    }

    @Test
    void theOperatorPutsANodeInAGroupAndDrainsIt() {
        Node before = nodes.list(fixture.operator()).getFirst().node();
        try {
            pages.open("/nodes");
            pages.click("placement-local");
            pages.type("placement-group", "Frankfurt 1");
            pages.click("placement-save");
            pages.waitFor(d -> pages.fieldError("placement-group").isEmpty() ? null : true);
            assertThat(pages.fieldError("placement-group")).contains("lower-case letters");

            pages.type("placement-group", "fra-1");
            pages.click("placement-draining");
            pages.click("placement-save");
            pages.waitFor(d -> pages.text("group-local").contains("draining") ? true : null);
            assertThat(pages.text("group-local")).contains("Group fra-1");
            Node after = nodes.list(fixture.operator()).getFirst().node();
            assertThat(after.nodeGroup()).isEqualTo("fra-1");
            assertThat(after.draining()).isTrue();
        } finally {
            nodes.setPlacement(fixture.operator(), before.id(), before.nodeGroup(), before.draining());
        }
    }

    @Test
    void theOperatorSeesEveryServerAndFollowsAJobDownToItsSteps() {
        // The Node column is a wide screen's (ResponsiveGrid.WIDE, 1500 px); the browser opens at 1400.
        chromium.driver().manage().window().setSize(new Dimension(1600, 1000));
        try {
            pages.open("/servers");
            pages.waitForGridCell("servers", "erin1.example.com");
            assertThat(pages.gridCells("servers")).contains("local");
        } finally {
            chromium.driver().manage().window().setSize(new Dimension(1400, 1000));
        }

        pages.open("/jobs/job/" + order.jobId());
        pages.waitFor(d -> pages.text("job-status").contains("succeeded") ? true : null);
        assertThat(chromium.driver().findElements(By.cssSelector("#job-steps li[data-status=done]"))).hasSize(5);
        assertThat(pages.text("job-output")).contains("created on oci");
        chromium.screenshot("operator-job");

        pages.open("/jobs");
        pages.waitForGridCell("jobs", String.valueOf(order.jobId()));
        chromium.screenshot("operator-job-log");
    }

    @Test
    void theAuditLogRecordsTheOrder() {
        pages.open("/audit");
        pages.waitForGridCell("audit", "server.order");
        // Shown as a sentence (AuditSentences): "erin-... ordered server #N: erin1.example.com on local, ...".
        assertThat(pages.gridCells("audit")).anyMatch(cell -> cell.matches("erin-.* ordered server #\\d+: erin1\\.example\\.com .*"));
        chromium.screenshot("operator-audit");
    }
}
