package dev.slice.order.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.node.NodeService;
import dev.slice.node.NodeView;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bad orders get their message beside the field that is wrong (or above the button when it is about the
 * plan), and leave nothing behind: the customer has exactly the servers it had before.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderFormErrorsBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired PlanService plans;
    @Autowired NodeService nodes;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;
    private Actor customer;
    private Plan small;
    private final List<Long> created = new ArrayList<>();
    private final List<Long> extraPlans = new ArrayList<>();

    @BeforeAll
    void signIn() {
        customer = fixture.customer("carol");
        small = fixture.smallContainerPlan(customer);
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
        pages.signIn(customer.username(), PanelFixture.PASSWORD);
    }

    @AfterAll
    void cleanUp() {
        try {
            created.forEach(fixture::deleteAndWait);
            extraPlans.forEach(id -> plans.retire(fixture.operator(), id));
        } finally {
            chromium.close();
        }
    }

    @Test
    void invalidHostnameWeakPasswordAndMalformedKeyAreShownBesideTheirFields() {
        long before = servers.count(customer);
        pages.open("/order/" + small.id());
        pages.type("order-hostname", "-not_a host-");
        pages.type("order-ssh-keys", "ssh-rsa this-is-not-base64 me@laptop");
        // Enter in a one-line field submits the form (with what was just typed), as a click on Order would.
        pages.type("order-password", "abc");
        chromium.driver().findElement(org.openqa.selenium.By.cssSelector("#order-password input")).sendKeys(org.openqa.selenium.Keys.ENTER);

        pages.waitFor(d -> pages.fieldError("order-hostname").isEmpty() ? null : true);
        chromium.screenshot("order-form-errors");
        assertThat(pages.fieldError("order-hostname")).contains("DNS name");
        assertThat(pages.fieldError("order-password")).contains("has only 3 characters; it needs at least 10 characters")
                .endsWith("without the user name (root)");
        assertThat(pages.fieldError("order-ssh-keys")).contains("SSH key");
        assertThat(chromium.driver().getCurrentUrl()).contains("/order/");
        assertThat(servers.count(customer)).isEqualTo(before);
    }

    @Test
    void anSshKeyAloneIsEnoughAndTheOrderGoesThrough() {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJe6e/9G0YrcjOGOSfjUcJJQjKOreRLGnciC1KaxyHVA carol@laptop";
        pages.open("/order/" + small.id());
        pages.type("order-hostname", "keyonly.example.com");
        pages.type("order-ssh-keys", key);
        pages.click("order-submit");

        pages.waitFor(d -> d.getCurrentUrl().contains("/server/") ? true : null);
        long serverId = Long.parseLong(chromium.driver().getCurrentUrl().replaceAll(".*/server/(\\d+).*", "$1"));
        created.add(serverId);
        assertThat(servers.get(customer, serverId).hostname()).isEqualTo("keyonly.example.com");
    }

    @Test
    void anOrderCanBeWithdrawnWhileItsServerIsSetUp() {
        pages.open("/order/" + small.id());
        pages.type("order-hostname", "withdrawn.example.com");
        pages.type("order-password", "Carol-Withdrawn-Pass-5");
        pages.click("order-submit");
        pages.waitFor(d -> d.getCurrentUrl().contains("/server/") ? true : null);
        long serverId = Long.parseLong(chromium.driver().getCurrentUrl().replaceAll(".*/server/(\\d+).*", "$1"));

        // The order was just placed: its container is still being made, and Cancel order stands where Delete would.
        pages.waitFor(d -> d.findElement(org.openqa.selenium.By.id("server-cancel-order")).isDisplayed() ? true : null);
        pages.click("server-cancel-order");
        pages.confirm();
        // A container is made in well under a second here, so the set-up can win the race with the click: then the page
        // says the order was too far along to cancel and the server stays. Either way what the page says is what happened
        // (the cancellation itself at every step: JobWorkerTest).
        String outcome = pages.waitFor(d -> {
            if (pages.text("status-" + serverId).equals("deleted")) return "deleted";
            return d.findElements(org.openqa.selenium.By.tagName("vaadin-notification-card")).stream()
                    .map(card -> String.valueOf(card.getDomProperty("textContent")))
                    .anyMatch(t -> t.contains("only an order whose server is still being set up can be cancelled")) ? "too late" : null;
        }, Duration.ofMinutes(3));
        if (outcome.equals("deleted")) {
            assertThat(pages.content("server-notice")).contains("has been deleted");
            assertThat(servers.get(customer, serverId).status()).isEqualTo(dev.slice.server.ServerStatus.DELETED);
        } else {
            assertThat(servers.get(customer, serverId).status()).as("too late to cancel: the server stays")
                    .isNotIn(dev.slice.server.ServerStatus.DELETED, dev.slice.server.ServerStatus.DELETING);
            created.add(serverId);
        }
    }

    @Test
    void aDuplicateHostnameIsShownOnTheHostnameField() {
        long existing = orders.order(customer, new OrderRequest(small.id(), "taken.example.com", "debian-12",
                "Carol-First-Server-5", List.of(), null)).serverId();
        created.add(existing);
        long before = servers.count(customer);

        pages.open("/order/" + small.id());
        pages.type("order-hostname", "taken.example.com");
        pages.type("order-password", "Carol-Second-Server-6");
        pages.click("order-submit");

        pages.waitFor(d -> pages.fieldError("order-hostname").isEmpty() ? null : true);
        assertThat(pages.fieldError("order-hostname")).contains("already have a server named 'taken.example.com'");
        assertThat(servers.count(customer)).isEqualTo(before);
    }

    @Test
    void aPlanLargerThanAnyNodeIsRefusedWithAMessageAboutThePlan() {
        Plan huge = operatorPlan("huge", 1, 4L * 1024 * 1024);
        long before = servers.count(customer);

        pages.open("/order/" + huge.id());
        pages.type("order-hostname", "huge.example.com");
        pages.type("order-password", "Carol-Huge-Server-7");
        pages.click("order-submit");

        String message = pages.waitFor(d -> {
            String text = pages.text("form-error");
            return text.isBlank() ? null : text;
        });
        chromium.screenshot("order-plan-too-large");
        // A customer never reads its provider's node figures (the reseller and operator do: PlanCapacityTest).
        assertThat(message).containsIgnoringCase(dev.slice.quota.Quotas.NOT_AVAILABLE).doesNotContainIgnoringCase("node");
        assertThat(servers.count(customer)).isEqualTo(before);
    }

    @Test
    @Order(Integer.MAX_VALUE) // fills the node, so it runs last
    void whenTheNodeIsFullTheOrderSaysSoAndCreatesNothing() {
        NodeView node = nodes.list(fixture.operator()).getFirst();
        long freeMemory = (long) (node.node().memoryMiB() * node.node().memoryOvercommit()) - node.usedMemoryMiB();
        Plan rest = operatorPlan("rest-of-node", 1, freeMemory);
        created.add(orders.order(customer, new OrderRequest(rest.id(), "fills.example.com", "debian-12",
                "Carol-Fills-Node-8", List.of(), null)).serverId());
        long before = servers.count(customer);

        pages.open("/order/" + rest.id());
        pages.type("order-hostname", "overflow.example.com");
        pages.type("order-password", "Carol-Overflow-9x");
        pages.click("order-submit");

        String message = pages.waitFor(d -> {
            String text = pages.text("form-error");
            return text.isBlank() ? null : text;
        });
        assertThat(message).containsIgnoringCase(dev.slice.quota.Quotas.NOT_AVAILABLE).doesNotContainIgnoringCase("MiB");
        assertThat(servers.count(customer)).isEqualTo(before);
    }

    private Plan operatorPlan(String name, int vcpus, long memoryMiB) {
        Plan plan = plans.create(fixture.operator(), new PlanRequest(name + "-" + System.nanoTime() % 100_000, "oci", vcpus,
                memoryMiB, 512, 0, 100));
        extraPlans.add(plan.id());
        return plan;
    }
}
