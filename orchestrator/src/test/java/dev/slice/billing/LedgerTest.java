package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ledger on real PostgreSQL: append-only, and balance = sum of entries, also under concurrent writers. */
@SliceSpringTest
class LedgerTest {
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired Ledger ledger;
    @Autowired BillingService billing;
    @Autowired BillingRepository repository;
    @Autowired JdbcClient jdbc;

    Actor operator;
    Actor reseller;
    Actor carol;

    @BeforeEach
    void tenants() {
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        operator = Tenants.operator(accounts);
        reseller = Tenants.reseller(accounts, plans, "ledger-reseller" + suffix);
        carol = Tenants.customer(accounts, reseller, "carol" + suffix);
    }

    @Test
    void concurrentChargesAndPaymentsKeepTheBalanceEqualToTheSumOfEntries() throws Exception {
        int threads = 8;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Callable<Long> writer = () -> {
                start.await();
                long sum = 0;
                for (int i = 0; i < each; i++) {
                    boolean pay = (thread + i) % 2 == 0;
                    long minor = pay ? 700 + i : -(300 + thread);
                    if (thread % 4 == 0) {
                        // through the service, as a reseller records payments and charges
                        billing.record(reseller, carol.accountId(), new EntryRequest(pay ? "payment" : "charge",
                                Money.of(Math.abs(minor), ledger.currency()).decimal(), "test " + thread + "/" + i, null));
                    } else {
                        ledger.append(new NewEntry(carol.accountId(), pay ? EntryKind.PAYMENT : EntryKind.CHARGE,
                                Money.of(minor, ledger.currency()), null, null, "metering", "test " + thread + "/" + i, null, null,
                                Instant.now()));
                    }
                    sum += minor;
                }
                return sum;
            };
            results.add(pool.submit(writer));
        }
        start.countDown();
        long expected = 0;
        for (Future<Long> result : results) expected += result.get(2, TimeUnit.MINUTES);
        pool.shutdown();

        assertThat(repository.balance(carol.accountId()).minor()).isEqualTo(expected);
        assertThat(repository.sumOfEntries(carol.accountId()).minor()).isEqualTo(expected);
        List<LedgerEntry> all = repository.entries(carol.accountId(), 0, 1000).reversed();
        assertThat(all).hasSize(threads * each);
        long running = 0;
        for (int i = 0; i < all.size(); i++) {
            LedgerEntry entry = all.get(i);
            assertThat(entry.seq()).isEqualTo(i + 1);
            running += entry.amount().minor();
            assertThat(entry.balanceAfter().minor()).as("balance after entry %d", entry.seq()).isEqualTo(running);
        }
        assertThat(billing.balance(carol, carol.accountId()).minor()).isEqualTo(expected);
    }

    @Test
    void entriesCannotBeChangedOrRemovedOnlyReversedOnce() {
        LedgerEntry payment = billing.record(reseller, carol.accountId(), new EntryRequest("payment", "25.00", "bank transfer", "TX-1"));
        assertThat(payment.amount().minor()).isEqualTo(2500);
        assertThat(payment.actorName()).isEqualTo(reseller.username());

        assertThatThrownBy(() -> jdbc.sql("update ledger_entry set amount_minor = 1 where id = ?").param(payment.id()).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from ledger_entry where id = ?").param(payment.id()).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("truncate ledger_entry cascade").update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("update account_balance set balance_minor = 0 where account_id = ?")
                .param(carol.accountId()).update()).hasMessageContaining("written only by the ledger");

        LedgerEntry reversal = billing.reverse(reseller, payment.id(), "the transfer bounced");
        assertThat(reversal.kind()).isEqualTo(EntryKind.REVERSAL);
        assertThat(reversal.amount().minor()).isEqualTo(-2500);
        assertThat(reversal.reverses()).isEqualTo(payment.id());
        assertThat(repository.balance(carol.accountId()).isZero()).isTrue();
        assertThatThrownBy(() -> billing.reverse(reseller, payment.id(), "again")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> billing.reverse(reseller, reversal.id(), "undo")).isInstanceOf(ConflictException.class);
        // Past the service: the database refuses a "reversal" that does not undo its entry exactly.
        assertThatThrownBy(() -> jdbc.sql("""
                insert into ledger_entry (account_id, seq, kind, amount_minor, currency, balance_after, reverses, actor_name, reason,
                  accrued_at, created_at) values (?, 0, 'reversal', 100, 'EUR', 0, ?, 'x', 'x', now(), now())""")
                .params(carol.accountId(), payment.id()).update()).hasMessageContaining("a reversal must undo exactly one entry");
        assertThat(repository.sumOfEntries(carol.accountId())).isEqualTo(repository.balance(carol.accountId()));
    }

    @Test
    void onlyTheProviderRecordsAndBadInputNamesItsField() {
        assertThatThrownBy(() -> billing.record(carol, carol.accountId(), new EntryRequest("payment", "10", "self", null)))
                .isInstanceOf(ForbiddenException.class);
        Actor otherReseller = Tenants.reseller(accounts, plans, "other" + System.nanoTime() % 1_000_000);
        assertThatThrownBy(() -> billing.record(otherReseller, carol.accountId(), new EntryRequest("payment", "10", "x", null)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> billing.balance(otherReseller, carol.accountId())).isInstanceOf(NotFoundException.class);
        assertThat(billing.record(operator, carol.accountId(), new EntryRequest("credit", "1.5", "goodwill", null)).amount().minor())
                .isEqualTo(150);

        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("payment", "1.001", "x", null))))
                .isEqualTo("amount");
        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("payment", "-3", "x", null))))
                .isEqualTo("amount");
        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("payment", "ten", "x", null))))
                .isEqualTo("amount");
        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("gift", "3", "x", null))))
                .isEqualTo("kind");
        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("payment", "3", " ", null))))
                .isEqualTo("reason");
        assertThat(field(() -> billing.record(reseller, carol.accountId(), new EntryRequest("adjustment", "0", "x", null))))
                .isEqualTo("amount");
        assertThat(billing.record(reseller, carol.accountId(), new EntryRequest("adjustment", "-0.50", "rounding", null))
                .amount().minor()).isEqualTo(-50);
        assertThat(billing.record(reseller, carol.accountId(), new EntryRequest("refund", "0.25", "returned", null))
                .amount().minor()).isEqualTo(-25);
    }

    private static String field(Runnable call) {
        try {
            call.run();
        } catch (ValidationException e) {
            return e.field();
        }
        throw new AssertionError("no validation error");
    }
}
