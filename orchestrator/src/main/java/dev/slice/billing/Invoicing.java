package dev.slice.billing;

import dev.slice.billing.BillingRepository.BillingAccount;
import dev.slice.billing.BillingRepository.Profile;
import dev.slice.error.ConflictException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monthly invoices per customer, issued by the customer's provider (its reseller, or the operator). An invoice bills
 * the customer's charges (and their reversals) accrued up to the end of its month that no invoice billed before; its
 * number is the issuer's next one, taken in the invoice's own transaction under the issuer's row lock, so numbers
 * never skip (a failed invoice gives its number back) and never repeat. One invoice per customer and month.
 */
@Service
public class Invoicing {
    private static final Logger log = LoggerFactory.getLogger(Invoicing.class);

    private final BillingRepository repository;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BillingProperties properties;

    public Invoicing(BillingRepository repository, TransactionTemplate transactions, Clock clock, BillingProperties properties) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** Issues the invoices of every month that has ended and still has unbilled charges; returns how many were issued. */
    public int issueDue() {
        Instant thisMonth = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int issued = 0;
        for (Map.Entry<Long, YearMonth> due : repository.dueInvoices(thisMonth)) {
            try {
                if (issue(due.getKey(), due.getValue()).isPresent()) issued++;
            } catch (RuntimeException e) {
                log.warn("Invoice of account {} for {} failed; the next pass tries again: {}", due.getKey(), due.getValue(), e.toString());
            }
        }
        return issued;
    }

    /**
     * The customer's invoice for {@code month}: the one already issued, or a new one of its unbilled charges accrued
     * before the month's end; empty when there is nothing to bill.
     */
    public Optional<Invoice> issue(long customerId, YearMonth month) {
        return transactions.execute(status -> issueInTransaction(customerId, month));
    }

    private Optional<Invoice> issueInTransaction(long customerId, YearMonth month) {
        BillingAccount customer = repository.account(customerId)
                .orElseThrow(() -> new IllegalArgumentException("no account " + customerId));
        if (customer.parentId() == null) return Optional.empty(); // the operator is nobody's customer
        long issuerId = customer.parentId();
        repository.lockInvoiceSequence(issuerId);
        Optional<Long> existing = repository.invoiceFor(customerId, month.atDay(1));
        if (existing.isPresent()) return repository.invoice(existing.get());
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<LedgerEntry> entries = repository.uninvoicedCharges(customerId, end);
        if (entries.isEmpty()) return Optional.empty();
        // After an on-demand invoice within this month, this one starts where that one ended.
        LocalDate start = repository.lastPeriodEnd(customerId).filter(d -> d.isAfter(month.atDay(1)) && d.isBefore(month.plusMonths(1).atDay(1)))
                .orElse(month.atDay(1));
        return Optional.of(write(customer, issuerId, entries, start, month.plusMonths(1).atDay(1), "to the end of " + month, false));
    }

    /**
     * An invoice now, on demand of the customer's provider, of its charges accrued until now that no invoice billed yet;
     * numbered in the issuer's one invoice series. Its period runs from the end of the customer's last invoice (or its first
     * unbilled charge) to today; the month's own invoice later bills only what is left.
     *
     * @throws ConflictException there is nothing to bill
     */
    public Invoice issueNow(long customerId) {
        return transactions.execute(status -> {
            BillingAccount customer = repository.account(customerId)
                    .orElseThrow(() -> new IllegalArgumentException("no account " + customerId));
            if (customer.parentId() == null) throw new ConflictException("the operator is nobody's customer: it has no invoices");
            repository.lockInvoiceSequence(customer.parentId());
            Instant now = clock.instant();
            List<LedgerEntry> entries = repository.uninvoicedCharges(customerId, now);
            if (entries.isEmpty()) {
                throw new ConflictException("account " + customerId + " has no charges that are not on an invoice yet");
            }
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            LocalDate start = repository.lastPeriodEnd(customerId)
                    .orElse(LocalDate.ofInstant(entries.getFirst().accruedAt(), ZoneOffset.UTC));
            if (start.isAfter(today)) start = today;
            return write(customer, customer.parentId(), entries, start, today.plusDays(1), "to " + today, true);
        });
    }

    private Invoice write(BillingAccount customer, long issuerId, List<LedgerEntry> entries, LocalDate start, LocalDate end,
                          String until, boolean onDemand) {
        long customerId = customer.id();

        Money total = Money.zero(properties.currencyUnit());
        Map<Long, Money> perServer = new LinkedHashMap<>();
        List<Invoice.Line> lines = new ArrayList<>();
        for (LedgerEntry entry : entries) {
            Money amount = entry.amount().negate(); // a charge lowers the balance; on the invoice it is what is billed
            total = total.plus(amount);
            if (entry.serverId() != null && !TrafficCharging.ACTOR.equals(entry.actorName())) { // traffic: a line of its own
                perServer.merge(entry.serverId(), amount, Money::plus);
            } else {
                lines.add(new Invoice.Line(entry.reason(), amount));
            }
        }
        List<Invoice.Line> serverLines = new ArrayList<>();
        perServer.forEach((serverId, amount) -> serverLines.add(new Invoice.Line("Server "
                + repository.hostname(serverId).orElse("#" + serverId) + ": hourly hosting " + until, amount)));
        serverLines.addAll(lines);

        Profile customerProfile = repository.profile(customerId).orElse(null);
        int rate = customerProfile != null && customerProfile.taxRateBp() != null ? customerProfile.taxRateBp() : properties.taxRateBp();
        // Prices include tax: the tax in a total T at rate r is T * r / (1 + r), rounded by Money's one rule.
        Money tax = Money.of(Money.divideRounded(Math.multiplyExact(total.minor(), rate), 10_000L + rate), total.currency());
        BillingAccount issuerAccount = repository.account(issuerId).orElseThrow();
        Invoice draft = new Invoice(0, issuerId, customerId, repository.nextInvoiceNumber(issuerId), start, end, total, tax, rate,
                party(issuerAccount), party(customer), clock.instant(), serverLines);
        long id = repository.insertInvoice(draft, InvoicePdf.render(draft), entries.stream().map(LedgerEntry::id).toList(), onDemand);
        log.info("Issued invoice {} of account {} to account {} for {} to {}{}: {}", draft.numberText(), issuerId, customerId, start,
                end, onDemand ? " (on demand)" : "", total);
        return repository.invoice(id).orElseThrow();
    }

    private Invoice.Party party(BillingAccount account) {
        Profile profile = repository.profile(account.id()).orElse(null);
        String name = profile == null || profile.legalName().isBlank() ? account.displayName() : profile.legalName();
        return new Invoice.Party(name, profile == null ? "" : profile.address(), profile == null ? "" : profile.taxId());
    }
}
