package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.job.JobWorker;
import dev.slice.node.NodeService;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.provisioning.NodeDrivers;
import dev.slice.server.ServerRepository;
import dev.slice.server.ServerService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import dev.slice.usage.MonthlyTraffic;
import dev.slice.usage.UsageMeter;
import dev.slice.usage.UsageRepository;
import dev.slice.usage.UsageService;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * March 2029 with the injected clock: a server's traffic sampled through the real meter, with missed samples, a meter
 * "restart", a counter reset, a guest stopped and started, two passes at once and the month boundary; then the overage
 * charged once through the billing pass and printed on the invoice, by the hand-computed {@link TrafficRule}.
 */
@SliceSpringTest
class TrafficMonthTest {
    private static final long MB = 1_000_000L;
    private static final long GB = TrafficRule.BYTES_PER_GB;

    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;
    @Autowired MutableClock clock;
    @Autowired UsageMeter meter;
    @Autowired UsageService usage;
    @Autowired BillingPass billing;
    @Autowired BillingService prices;
    @Autowired TrafficCharging charging;
    @Autowired BillingRepository repository;
    @Autowired Ledger ledger;
    @Autowired TransactionTemplate transactions;
    @Autowired UsageRepository usageRows;
    @Autowired ServerRepository serverRows;
    @Autowired NodeService nodes;
    @Autowired NodeDrivers nodeDrivers;
    @Autowired DriverRegistry registry;

    @AfterEach
    void quiet() {
        driver.reset();
    }

    @Test
    void aMonthOfTrafficIsCountedThroughRestartsAndResetsAndItsOverageChargedOnce() throws Exception {
        driver.reset();
        driver.countsUsage = true;
        Actor reseller = Tenants.reseller(accounts, plans, "traffic-reseller");
        Actor erin = Tenants.customer(accounts, reseller, "erin");
        Actor other = Tenants.customer(accounts, reseller, "traffic-other");
        // 10 GB a month included, 0.37 EUR per GB over it.
        Plan metered = plans.create(reseller, new PlanRequest("metered", "oci", 1, 512, 2048, 100, 1000, 10L, 37L));
        assertThat(metered.trafficAllowanceGb()).isEqualTo(10);
        assertThat(metered.overagePerGbCents()).isEqualTo(37);

        at("2029-03-01T00:00:00Z");
        long t = order(erin, metered, "t");
        long u = order(erin, metered, "u");
        String guest = serverRows.find(t).orElseThrow().guestId();
        String guestU = serverRows.find(u).orElseThrow().guestId();
        pass("2029-03-01T00:01:00Z");
        // Ten days of 1 GB out and 0.5 GB in, a sample each day: 10 GB.
        for (int day = 2; day <= 11; day++) {
            driver.transfer(guest, 500 * MB, GB);
            pass("2029-03-%02dT12:00:00Z".formatted(day));
        }
        // A "restarted" meter at the same instant counts nothing again.
        assertThat(new UsageMeter(usageRows, serverRows, nodes, nodeDrivers, registry, transactions, clock).runPass()).isZero();
        // Missed samples: 2 GB and 1.06 GB sent with no pass between, both counted by the next one (13.06 GB).
        driver.transfer(guest, 0, 2 * GB);
        driver.transfer(guest, 0, GB + 60 * MB);
        pass("2029-03-14T08:00:00Z");
        // The backend's counter starts again from zero while the guest runs on: the new value is counted (15.26 GB).
        driver.transfer(guest, 0, 1500 * MB);
        pass("2029-03-15T08:00:00Z");
        driver.resetCounters(guest);
        driver.transfer(guest, 0, 700 * MB);
        pass("2029-03-15T09:00:00Z");
        // Stopped (seen by a pass) and started again: the new run's 2 GB count in full, although they exceed the
        // old reading of 0.7 GB (17.26 GB).
        servers.stop(erin, t, false);
        worker.runDue();
        pass("2029-03-16T09:00:00Z");
        servers.start(erin, t);
        worker.runDue();
        driver.transfer(guest, 0, 2 * GB);
        pass("2029-03-17T09:00:00Z");
        // Two passes at once: 0.3 GB counted once (17.56 GB).
        driver.transfer(guest, 0, 300 * MB);
        at("2029-03-20T00:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> both = pool.invokeAll(List.of(meter::runPass, meter::runPass));
        assertThat(both.get(0).get(1, TimeUnit.MINUTES) + both.get(1).get(1, TimeUnit.MINUTES)).as("samples of the two passes")
                .isEqualTo(2); // one sample of each server in all
        pool.shutdown();
        // Server u: 11 GB, then deleted on the 20th; its month is charged when the month ends like any other.
        driver.transfer(guestU, 0, 11 * GB);
        pass("2029-03-20T06:00:00Z");
        servers.delete(erin, u);
        worker.runDue();
        // The last minute of March (18.06 GB), then the first of April.
        driver.transfer(guest, 0, 500 * MB);
        pass("2029-03-31T23:59:00Z");
        assertThat(billingPassCharges("2029-03-31T23:59:30Z")).as("nothing before the month has ended").isZero();
        driver.transfer(guest, 0, GB);
        pass("2029-04-01T00:01:00Z");

        MonthlyTraffic march = usage.traffic(erin, t, "2029-03");
        assertThat(march.txBytes()).isEqualTo(18_060 * MB);
        assertThat(march.rxBytes()).isEqualTo(5 * GB);
        assertThat(march.allowanceGb()).isEqualTo(10);
        assertThat(march.days()).extracting(d -> d.day().getDayOfMonth()).contains(2, 14, 31).doesNotContain(12);
        assertThat(march.days().stream().mapToLong(d -> d.txBytes()).sum()).isEqualTo(march.txBytes());
        assertThat(usage.traffic(erin, t, "2029-04").txBytes()).isEqualTo(GB);
        assertThat(usage.history(erin, t, "day")).isNotEmpty().allSatisfy(p -> assertThat(p.netTxBytes()).isGreaterThanOrEqualTo(0));
        assertThatThrownBy(() -> usage.traffic(other, t, null)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> usage.traffic(erin, t, "March")).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(ValidationException.FieldError::field).containsExactly("month"));

        // The operator charges the reseller 0.20 per GB over the allowance for the same GB (set before the month is settled).
        Actor operator = Tenants.operator(accounts);
        assertThat(prices.setWholesaleTraffic(operator, metered.id(), "0.20").minor()).isEqualTo(20);
        assertThatThrownBy(() -> prices.setWholesaleTraffic(reseller, metered.id(), "0.01")).isInstanceOf(dev.slice.error.ForbiddenException.class);
        assertThatThrownBy(() -> prices.setWholesaleTraffic(operator, metered.id(), "-0.01")).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo("overagePerGb"));
        assertThat(prices.planPrices(reseller, reseller.accountId())).singleElement()
                .satisfies(p -> assertThat(p.wholesalePerGb().minor()).isEqualTo(20));

        // The billing pass after the month: t 8.06 GB over -> 8.1 GB x 0.37 = 2.997 -> 3.00; u 1.0 GB x 0.37 = 0.37.
        assertThat(billingPassCharges("2029-04-01T00:05:00Z")).isEqualTo(2);
        assertThat(repository.trafficCharged(t, YearMonth.of(2029, 3))).contains(300L);
        assertThat(repository.trafficCharged(u, YearMonth.of(2029, 3))).contains(37L);
        // Again, from a "restarted" instance, and at once: nothing twice.
        billing.run();
        assertThat(new TrafficCharging(repository, ledger, transactions, clock).runPass()).isZero();
        List<LedgerEntry> traffic = repository.entries(erin.accountId(), 0, 1000).stream()
                .filter(e -> TrafficCharging.ACTOR.equals(e.actorName())).toList();
        assertThat(traffic).extracting(e -> e.amount().minor()).containsExactlyInAnyOrder(-300L, -37L);
        // The reseller, at wholesale for the same GB: 8.1 x 0.20 = 1.62 and 1.0 x 0.20 = 0.20, once.
        List<LedgerEntry> wholesale = repository.entries(reseller.accountId(), 0, 1000).stream()
                .filter(e -> TrafficCharging.ACTOR.equals(e.actorName())).toList();
        assertThat(wholesale).extracting(e -> e.amount().minor()).containsExactlyInAnyOrder(-162L, -20L);
        assertThat(wholesale).extracting(LedgerEntry::reason)
                .contains("t (metered): a customer's traffic over allowance in 2029-03: 8.1 GB × 0.20 EUR at wholesale");
        // The margin report counts the traffic too: the reseller paid nothing for the hours (no wholesale price a month).
        assertThat(prices.margins(reseller, reseller.accountId())).filteredOn(m -> m.month().equals(YearMonth.of(2029, 3)))
                .singleElement().satisfies(m -> {
                    assertThat(m.wholesale().minor()).isEqualTo(182);
                    assertThat(m.retail().minor()).isGreaterThan(337);
                });
        Invoice invoice = repository.invoice(repository.invoiceFor(erin.accountId(), YearMonth.of(2029, 3).atDay(1)).orElseThrow())
                .orElseThrow();
        assertThat(invoice.lines()).anySatisfy(line -> {
            assertThat(line.description()).isEqualTo("t (metered): traffic over allowance in 2029-03: 8.1 GB × 0.37 EUR (10 GB included)");
            assertThat(line.amount().minor()).isEqualTo(300);
        });
        // April, within the allowance: settled with no charge.
        assertThat(billingPassCharges("2029-05-01T00:05:00Z")).isEqualTo(1);
        assertThat(repository.trafficCharged(t, YearMonth.of(2029, 4))).contains(0L);
    }

    private long order(Actor customer, Plan plan, String hostname) {
        long id = orders.order(customer, new OrderRequest(plan.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), null)).serverId();
        worker.runDue();
        return id;
    }

    /** The billing pass at {@code instant}; returns how many server-months of traffic it settled. */
    private int billingPassCharges(String instant) {
        at(instant);
        long before = settledMonths();
        billing.run();
        return (int) (settledMonths() - before);
    }

    private long settledMonths() {
        return repository.dueTraffic(java.time.LocalDate.of(9999, 1, 1)).size() * -1L;
    }

    private void pass(String instant) {
        at(instant);
        meter.runPass();
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }
}
