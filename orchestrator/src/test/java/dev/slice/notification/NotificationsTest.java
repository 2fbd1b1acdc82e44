package dev.slice.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.InvalidSpecException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Job results as notifications, through real jobs on real PostgreSQL: who is told, in which words, and what is unread. */
@SliceSpringTest
class NotificationsTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;
    @Autowired MutableClock clock;
    @Autowired NotificationService notifications;
    @Autowired NotificationController controller;

    Actor operator;
    Actor reseller;
    Actor customer;
    Actor otherCustomer;
    Plan plan;

    @BeforeEach
    void setUp() {
        driver.reset();
        clock.advance(Duration.ofHours(1));
        worker.runDue();
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        operator = Tenants.operator(accounts);
        reseller = Tenants.reseller(accounts, plans, "nr" + suffix);
        customer = Tenants.customer(accounts, reseller, "nc" + suffix);
        otherCustomer = Tenants.customer(accounts, operator, "no" + suffix);
        plan = Tenants.plan(plans, reseller, "np" + suffix, 1, 256, 1024);
    }

    private long order(Actor who, String hostname) {
        long jobId = orders.order(who, new OrderRequest(plan.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), null)).jobId();
        clock.advance(Duration.ofSeconds(1));
        worker.runDue();
        return jobId;
    }

    @Test
    void anOrderThatFinishedIsToldToItsOwnerAndItsSellerAndNoOneElse() {
        String hostname = "bell" + System.nanoTime() % 100_000;
        long jobId = order(customer, hostname);

        Inbox mine = notifications.inbox(customer, 10);
        assertThat(mine.unread()).isEqualTo(1);
        assertThat(mine.latest()).singleElement().satisfies(n -> {
            assertThat(n.jobId()).isEqualTo(jobId);
            assertThat(n.text()).isEqualTo("Order of " + hostname + " finished.");
            assertThat(n.succeeded()).isTrue();
            assertThat(n.unread()).isTrue();
            assertThat(n.hostname()).isEqualTo(hostname);
        });
        assertThat(notifications.inbox(reseller, 10).latest()).extracting(Notification::jobId).containsExactly(jobId);
        assertThat(notifications.inbox(operator, 50).latest()).extracting(Notification::jobId).contains(jobId);
        assertThat(notifications.inbox(otherCustomer, 10).latest()).isEmpty();
        assertThat(notifications.unread(otherCustomer)).isZero();
    }

    @Test
    void aFailureSaysWhyAndMarkingReadCountsOnlyWhatCameAfter() {
        driver.beforeCreate = spec -> { throw new InvalidSpecException("template debian-12 is not built for oci"); };
        String broken = "fail" + System.nanoTime() % 100_000;
        order(customer, broken);
        assertThat(notifications.inbox(customer, 10).latest()).singleElement().satisfies(n -> {
            assertThat(n.succeeded()).isFalse();
            assertThat(n.text()).isEqualTo("Order of " + broken + " failed: template debian-12 is not built for oci.");
        });

        notifications.markRead(customer);
        assertThat(notifications.unread(customer)).isZero();
        assertThat(notifications.inbox(customer, 10).latest()).singleElement().satisfies(n -> assertThat(n.unread()).isFalse());
        assertThat(notifications.unread(reseller)).as("each account reads its own").isEqualTo(1);

        driver.reset();
        clock.advance(Duration.ofSeconds(5));
        String later = "late" + System.nanoTime() % 100_000;
        order(customer, later);
        Inbox inbox = notifications.inbox(customer, 10);
        assertThat(inbox.unread()).isEqualTo(1);
        assertThat(inbox.latest()).extracting(Notification::text).first().isEqualTo("Order of " + later + " finished.");
        assertThat(notifications.inbox(customer, 1).latest()).hasSize(1);
    }

    @Test
    void theLimitIsBoundedAndNamed() {
        assertThatThrownBy(() -> controller.inbox(customer, 51)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> controller.inbox(customer, -1)).isInstanceOf(ValidationException.class);
    }
}
