package dev.slice.billing;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.billing.BillingRepository.BillingAccount;
import dev.slice.billing.BillingRepository.Profile;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Balances, ledgers and billing profiles as people see and change them: every call checks {@link AccessRules}
 * (canSeeBilling, canRecordPayment) for the account it touches, and is audited when it changes something.
 */
@Service
public class BillingService {
    /** What a person may record by hand; charges come from metering, reversals from {@link #reverse}. */
    private static final Set<EntryKind> BY_HAND = Set.of(EntryKind.PAYMENT, EntryKind.CREDIT, EntryKind.REFUND,
            EntryKind.ADJUSTMENT, EntryKind.CHARGE);

    private final BillingRepository repository;
    private final Ledger ledger;
    private final AuditLog audit;
    private final Clock clock;
    private final BillingProperties properties;

    public BillingService(BillingRepository repository, Ledger ledger, AuditLog audit, Clock clock, BillingProperties properties) {
        this.repository = repository;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    /** @param kind payment (default), credit, refund, charge or adjustment; amount a decimal, signed only for adjustments */
    public record EntryRequest(String kind, String amount, String reason, String reference) {}

    /** @param terms prepaid, postpaid, or inherit (null): as the account's provider says */
    public record ProfileRequest(String legalName, String address, String taxId, Integer taxRateBp, String terms) {}

    public Money balance(Actor actor, long accountId) {
        visible(actor, accountId);
        return repository.balance(accountId);
    }

    public List<LedgerEntry> ledger(Actor actor, long accountId, int offset, int limit) {
        visible(actor, accountId);
        return repository.entries(accountId, offset, limit);
    }

    public long countLedger(Actor actor, long accountId) {
        visible(actor, accountId);
        return repository.countEntries(accountId);
    }

    /** A payment received (or a credit, refund, charge, adjustment) recorded by the account's provider. */
    @Transactional
    public LedgerEntry record(Actor actor, long accountId, EntryRequest request) {
        BillingAccount account = visible(actor, accountId);
        if (!AccessRules.canRecordPayment(actor, account.id(), account.parentId())) {
            throw new ForbiddenException("only the account's provider records its payments");
        }
        EntryKind kind;
        try {
            kind = request.kind() == null || request.kind().isBlank() ? EntryKind.PAYMENT : EntryKind.fromId(request.kind().strip());
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || !BY_HAND.contains(kind)) {
            throw new ValidationException("kind", "one of " + BY_HAND.stream().map(EntryKind::id).sorted().toList());
        }
        Money amount = amount(request.amount());
        if (kind.sign() != 0) {
            if (amount.isNegative() || amount.isZero()) throw new ValidationException("amount", "give a positive amount");
            if (kind.sign() < 0) amount = amount.negate();
        }
        String reference = request.reference() == null || request.reference().isBlank() ? null : request.reference().strip();
        if (reference != null && (reference.length() > 200 || !PlainText.isPlain(reference))) {
            throw new ValidationException("reference", "plain text of at most 200 characters");
        }
        String reason = request.reason() == null ? "" : request.reason().strip();
        if (!reason.isEmpty() && !PlainText.isPlain(reason)) throw new ValidationException("reason", "plain text only");
        LedgerEntry entry = ledger.append(new NewEntry(accountId, kind, amount, null, actor.accountId(), actor.username(), reason,
                reference, null, clock.instant()));
        audit.record(actor, "billing." + kind.id(), "account", accountId, amount + ": " + reason);
        return entry;
    }

    @Transactional
    public LedgerEntry reverse(Actor actor, long entryId, String reason) {
        LedgerEntry original = repository.entry(entryId).orElseThrow(() -> new NotFoundException("ledger entry", entryId));
        BillingAccount account = repository.account(original.accountId()).orElseThrow();
        if (!AccessRules.canSeeBilling(actor, account.id(), account.parentId())) throw new NotFoundException("ledger entry", entryId);
        if (!AccessRules.canRecordPayment(actor, account.id(), account.parentId())) {
            throw new ForbiddenException("only the account's provider reverses its entries");
        }
        String why = reason == null ? "" : reason.strip();
        LedgerEntry reversal = ledger.reverse(original, actor.accountId(), actor.username(), why);
        audit.record(actor, "billing.reversal", "account", account.id(), "entry " + entryId + ": " + why);
        return reversal;
    }

    public Profile profile(Actor actor, long accountId) {
        visible(actor, accountId);
        return repository.profile(accountId).orElse(new Profile(accountId, "", "", "", null, null));
    }

    /** An account's own name and address are its own to keep; its tax rate and payment terms are its provider's. */
    @Transactional
    public Profile saveProfile(Actor actor, long accountId, ProfileRequest request) {
        BillingAccount account = visible(actor, accountId);
        boolean provider = AccessRules.canRecordPayment(actor, account.id(), account.parentId()) || actor.isOperator();
        Boolean prepaid = switch (request.terms() == null ? "inherit" : request.terms()) {
            case "prepaid" -> true;
            case "postpaid" -> false;
            case "inherit" -> null;
            default -> throw new ValidationException("terms", "prepaid, postpaid or inherit");
        };
        Profile old = repository.profile(accountId).orElse(new Profile(accountId, "", "", "", null, null));
        if (!provider && (!java.util.Objects.equals(old.taxRateBp(), request.taxRateBp())
                || !java.util.Objects.equals(old.prepaid(), prepaid))) {
            throw new ForbiddenException("only your provider sets your tax rate and payment terms");
        }
        if (request.taxRateBp() != null && (request.taxRateBp() < 0 || request.taxRateBp() > 10_000)) {
            throw new ValidationException("taxRateBp", "basis points from 0 to 10000 (2000 = 20%)");
        }
        Profile profile = new Profile(accountId, text("legalName", request.legalName(), 200), text("address", request.address(), 500),
                text("taxId", request.taxId(), 64), request.taxRateBp(), prepaid);
        repository.saveProfile(profile);
        audit.record(actor, "billing.profile", "account", accountId, "");
        return profile;
    }

    /**
     * Refuses an order the balance cannot cover for its first month, for an account that pays in advance: the balance
     * must hold the new plan's monthly price on top of what the account's running servers still owe for the current
     * month (so a balance covers one month of each server, not one month of each order). Called inside the order's
     * transaction before anything is created; the balance row lock makes concurrent orders of one account count each other.
     */
    public void requireFirstMonthCovered(long accountId, String planName, long monthlyMinor) {
        if (!isPrepaid(accountId)) return;
        Money price = Money.of(monthlyMinor, ledger.currency());
        Money balance = repository.lockBalance(accountId);
        java.time.YearMonth month = java.time.YearMonth.from(clock.instant().atZone(java.time.ZoneOffset.UTC));
        Money committed = repository.restOfMonthCommitted(accountId,
                month.atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                month.plusMonths(1).atDay(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        Money required = price.plus(committed);
        if (balance.compareTo(required) < 0) {
            throw new ValidationException("planId", "your balance of " + balance + " does not cover the first month of '" + planName
                    + "' (" + price + ")" + (committed.isZero() ? "" : " besides the rest of this month of your servers (" + committed + ")")
                    + "; top up your balance first");
        }
    }

    /** The account's own terms, else its provider's, else the installation's ({@code slice.billing.prepaid}). */
    public boolean isPrepaid(long accountId) {
        Long id = accountId;
        for (int depth = 0; id != null && depth < 3; depth++) {
            Boolean own = repository.profile(id).map(Profile::prepaid).orElse(null);
            if (own != null) return own;
            id = repository.account(id).map(BillingAccount::parentId).orElse(null);
        }
        return properties.prepaid();
    }

    private Money amount(String text) {
        try {
            return Money.parse(text, ledger.currency());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ValidationException("amount", e.getMessage() == null ? "write an amount such as 12.50" : e.getMessage());
        }
    }

    private static String text(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.length() > max) throw new ValidationException(field, "at most " + max + " characters");
        if (!v.isEmpty() && !PlainText.isPlain(v.replace('\n', ' '))) throw new ValidationException(field, "plain text only");
        return v;
    }

    BillingAccount visible(Actor actor, long accountId) {
        return repository.account(accountId).filter(a -> AccessRules.canSeeBilling(actor, a.id(), a.parentId()))
                .orElseThrow(() -> new NotFoundException("account", accountId));
    }

    public List<Invoice> invoices(Actor actor, long accountId, int offset, int limit) {
        visible(actor, accountId);
        return repository.invoices(accountId, offset, limit);
    }

    public long countInvoices(Actor actor, long accountId) {
        visible(actor, accountId);
        return repository.countInvoices(accountId);
    }

    /** An invoice, for whoever may see its customer's billing (the customer, its provider, the operator). */
    public Invoice invoice(Actor actor, long invoiceId) {
        return repository.invoice(invoiceId).filter(i -> repository.account(i.customerId())
                        .filter(a -> AccessRules.canSeeBilling(actor, a.id(), a.parentId())).isPresent())
                .orElseThrow(() -> new NotFoundException("invoice", invoiceId));
    }

    public byte[] invoicePdf(Actor actor, long invoiceId) {
        invoice(actor, invoiceId);
        return repository.pdf(invoiceId).orElseThrow(() -> new NotFoundException("invoice", invoiceId));
    }

    /** Whether the actor may record payments on the account (the panel shows the form only then; {@link #record} checks again). */
    public boolean canRecordPayment(Actor actor, long accountId) {
        return repository.account(accountId).filter(a -> AccessRules.canSeeBilling(actor, a.id(), a.parentId()))
                .map(a -> AccessRules.canRecordPayment(actor, a.id(), a.parentId())).orElse(false);
    }

    /**
     * The operator's wholesale price of a reseller's plan: what the reseller is charged a month for each of its customers'
     * servers on it, metered by the same hourly rule. It applies to servers from their next order or resize on.
     */
    @Transactional
    public Money setWholesale(Actor actor, long planId, String amount) {
        requireResellerPlanForOperator(actor, planId);
        Money price = amount(amount);
        if (price.isNegative()) throw new ValidationException("amount", "must not be negative");
        repository.setWholesale(planId, price.minor());
        audit.record(actor, "billing.wholesale", "plan", planId, price.toString());
        return price;
    }

    /**
     * The operator's wholesale price per GB of a reseller's customers' traffic over the plan's allowance: the reseller is
     * charged the same GB its customer is, at this price, when the month is settled (0: nothing).
     */
    @Transactional
    public Money setWholesaleTraffic(Actor actor, long planId, String overagePerGb) {
        requireResellerPlanForOperator(actor, planId);
        Money price;
        try {
            price = Money.parse(overagePerGb, ledger.currency());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ValidationException("overagePerGb", "write an amount such as 0.02");
        }
        if (price.isNegative()) throw new ValidationException("overagePerGb", "must not be negative");
        if (price.minor() > dev.slice.plan.PlanLimits.MAX_OVERAGE_PER_GB_CENTS) {
            throw new ValidationException("overagePerGb", "at most " + Money.of(dev.slice.plan.PlanLimits.MAX_OVERAGE_PER_GB_CENTS,
                    ledger.currency()).decimal());
        }
        repository.setWholesaleTraffic(planId, price.minor());
        audit.record(actor, "billing.wholesale-traffic", "plan", planId, price + " per GB");
        return price;
    }

    private void requireResellerPlanForOperator(Actor actor, long planId) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("only the operator sets wholesale prices");
        BillingAccount owner = repository.planOwner(planId).orElseThrow(() -> new NotFoundException("plan", planId));
        if (owner.role() != dev.slice.account.Role.RESELLER) {
            throw ValidationException.ofRequest("plan " + planId + " is the operator's own: only a reseller's plans have a wholesale price");
        }
    }

    /** A reseller's plans with their retail and wholesale prices: for the operator and for the reseller itself. */
    public List<BillingRepository.PlanPrices> planPrices(Actor actor, long resellerId) {
        BillingAccount reseller = visible(actor, resellerId);
        if (reseller.role() != dev.slice.account.Role.RESELLER || actor.isCustomer()) throw new NotFoundException("reseller", resellerId);
        return repository.planPrices(resellerId);
    }

    /** Per month: what a reseller's customers paid, what the reseller paid the operator for the same hours, the difference. */
    public List<BillingRepository.Margin> margins(Actor actor, long resellerId) {
        BillingAccount reseller = visible(actor, resellerId);
        if (reseller.role() != dev.slice.account.Role.RESELLER || actor.isCustomer()) throw new NotFoundException("reseller", resellerId);
        return repository.margins(resellerId);
    }
}
