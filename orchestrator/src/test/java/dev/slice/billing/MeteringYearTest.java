package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.job.JobWorker;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import dev.slice.server.ServerService;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * 2028 (a leap year) in seconds: servers ordered, resized and deleted through the real services while the injected
 * clock moves, metering passes run often, twice at once and from a "restarted" instance; every total is the
 * hand-computed one of {@link MeteringRule} (written out beside each assertion).
 */
@SliceSpringTest
class MeteringYearTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired JobWorker worker;
    @Autowired FakeDriver driver;
    @Autowired MutableClock clock;
    @Autowired Metering metering;
    @Autowired BillingRepository repository;
    @Autowired Ledger ledger;
    @Autowired TransactionTemplate transactions;

    @Test
    void aSimulatedYearChargesTheHandComputedTotals() throws Exception {
        driver.reset();
        Actor reseller = Tenants.reseller(accounts, plans, "year-reseller");
        Actor dana = Tenants.customer(accounts, reseller, "dana");
        Plan ten = plan(reseller, "ten", 1000);      // 10.00 a month
        Plan odd = plan(reseller, "odd", 499);       // 4.99: hours that do not divide evenly
        Plan big = plan(reseller, "big", 1999);      // 19.99, the resize target
        Plan leap = plan(reseller, "leap", 2800);    // 28.00: 24 hours of it are exactly 1.00

        at("2028-01-01T00:00:00Z");
        long a = order(dana, ten, "a");
        passesUntil("2028-02-28T10:30:00Z");
        long b = order(dana, odd, "b");
        passesUntil("2028-02-29T00:00:00Z");
        long d = order(dana, leap, "d");
        passesUntil("2028-03-01T00:00:00Z");
        servers.delete(dana, d); // at midnight sharp: no hour of March
        worker.runDue();
        passesUntil("2028-03-15T12:20:00Z");
        servers.resize(dana, b, big.id()); // from the 12 o'clock hour on, at 19.99
        worker.runDue();
        // Two passes at once, and one of a "restarted" process: nothing is charged twice.
        at("2028-03-20T05:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> both = pool.invokeAll(List.of(metering::runPass, metering::runPass));
        int charged = both.get(0).get(1, TimeUnit.MINUTES) + both.get(1).get(1, TimeUnit.MINUTES);
        pool.shutdown();
        assertThat(charged).as("hours charged by the two passes together").isPositive();
        assertThat(new Metering(repository, ledger, transactions, clock).runPass()).isZero();
        passesUntil("2028-04-10T07:45:00Z");
        servers.delete(dana, b); // mid-hour: the 7 o'clock hour is the last one
        worker.runDue();
        passesUntil("2028-06-01T09:10:00Z");
        long c = order(dana, ten, "c");
        at("2028-06-01T09:50:00Z");
        servers.delete(dana, c); // lived 40 minutes of one hour
        worker.runDue();
        passesUntil("2029-01-01T00:00:00Z");
        metering.runPass();

        // a: 10.00 a month, every month at least 672 h: capped at 10.00 each month, 120.00 in all.
        for (int month = 1; month <= 12; month++) {
            Instant start = Instant.parse("2028-%02d-01T00:00:00Z".formatted(month));
            Instant end = month == 12 ? Instant.parse("2029-01-01T00:00:00Z") : Instant.parse("2028-%02d-01T00:00:00Z".formatted(month + 1));
            assertThat(repository.chargedBetween(a, start, end)).as("server a, month %d", month).isEqualTo(1000);
        }
        // The cap is reached at the 672nd hour of February (the 28th, 23:00): the leap day costs a nothing.
        assertThat(repository.chargedBetween(a, Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2028-03-01T00:00:00Z"))).isZero();
        // b: February 28 10:00-24:00 and the 29th: 38 h x 4.99 / 672 = 0.28217 -> 0.28.
        assertThat(repository.chargedBetween(b, Instant.parse("2028-02-01T00:00:00Z"), Instant.parse("2028-03-01T00:00:00Z"))).isEqualTo(28);
        // b in March: 348 h at 4.99 (to the 15th, 12:00), 396 h at 19.99: (173652 + 791604) / 672 = 1436.39 -> 14.36.
        assertThat(repository.chargedBetween(b, Instant.parse("2028-03-01T00:00:00Z"), Instant.parse("2028-04-01T00:00:00Z"))).isEqualTo(1436);
        // b in April: the 1st to the 10th, 08:00 (the started hour counts): 224 h x 19.99 / 672 = 666.33 -> 6.66.
        assertThat(repository.chargedBetween(b, Instant.parse("2028-04-01T00:00:00Z"), Instant.parse("2029-01-01T00:00:00Z"))).isEqualTo(666);
        // c: one hour at 10.00: 1000 / 672 = 1.488 -> 0.01.
        assertThat(repository.chargedBetween(c, Instant.parse("2028-01-01T00:00:00Z"), Instant.parse("2029-01-01T00:00:00Z"))).isEqualTo(1);
        // d: the leap day, 24 h x 28.00 / 672 = 1.00 exactly; nothing in March.
        assertThat(repository.chargedBetween(d, Instant.parse("2028-02-29T00:00:00Z"), Instant.parse("2028-03-01T00:00:00Z"))).isEqualTo(100);
        assertThat(repository.chargedBetween(d, Instant.parse("2028-03-01T00:00:00Z"), Instant.parse("2029-01-01T00:00:00Z"))).isZero();

        long total = 12_000 + 28 + 1436 + 666 + 1 + 100;
        assertThat(repository.balance(dana.accountId()).minor()).isEqualTo(-total);
        assertThat(repository.sumOfEntries(dana.accountId()).minor()).isEqualTo(-total);
        // Every metered charge stays inside one calendar month and names its server.
        List<LedgerEntry> entries = repository.entries(dana.accountId(), 0, 1000);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(EntryKind.CHARGE);
            assertThat(e.actorName()).isEqualTo("metering");
            assertThat(e.serverId()).isNotNull();
        });
        assertThat(entries).anySatisfy(e -> assertThat(e.reason()).startsWith("b (big): ").contains("2028-03-15 12:00"));
        // Passes after the year change nothing.
        assertThat(metering.runPass()).isZero();
    }

    private Plan plan(Actor seller, String name, long monthly) {
        return plans.create(seller, new PlanRequest(name, "oci", 1, 512, 2048, 100, monthly));
    }

    private long order(Actor customer, Plan plan, String hostname) {
        long id = orders.order(customer, new OrderRequest(plan.id(), hostname, "debian-12", Tenants.PASSWORD, List.of(), null)).serverId();
        worker.runDue();
        return id;
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    /** Moves the clock to {@code instant} in irregular steps (about a pass every 61 hours), passing at each. */
    private void passesUntil(String instant) {
        Instant end = Instant.parse(instant);
        while (clock.instant().plus(Duration.ofMinutes(3671)).isBefore(end)) {
            clock.advance(Duration.ofMinutes(3671));
            metering.runPass();
        }
        at(instant);
        metering.runPass();
    }
}
