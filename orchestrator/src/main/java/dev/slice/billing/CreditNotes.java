package dev.slice.billing;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.billing.BillingRepository.BillingAccount;
import dev.slice.error.ForbiddenException;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refunds against invoices, and invoices on demand. A refund of part or all of an invoice is a credit on the customer's
 * ledger (appended, never an edit) and a credit note, numbered in the issuer's own credit-note series under that
 * series' row lock (no gaps, no repeats); the credits of one invoice never exceed its total. Both are for the customer's
 * provider (its reseller, or the operator), as payments are.
 */
@Service
public class CreditNotes {
    private final BillingService billing;
    private final BillingRepository repository;
    private final Ledger ledger;
    private final Invoicing invoicing;
    private final AuditLog audit;
    private final Clock clock;

    CreditNotes(BillingService billing, BillingRepository repository, Ledger ledger, Invoicing invoicing, AuditLog audit, Clock clock) {
        this.billing = billing;
        this.repository = repository;
        this.ledger = ledger;
        this.invoicing = invoicing;
        this.audit = audit;
        this.clock = clock;
    }

    /** @param amount a positive decimal such as "5.00", at most what is left uncredited on the invoice */
    @Transactional
    public CreditNote refund(Actor actor, long invoiceId, String amount, String reason) {
        Invoice invoice = billing.invoice(actor, invoiceId);
        requireProvider(actor, invoice.customerId(), "only the invoice's issuer records refunds against it");
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 200 || !PlainText.isPlain(why)) {
            throw new ValidationException("reason", "say why, in plain text of 1-200 characters (it is printed on the credit note)");
        }
        Money credit;
        try {
            credit = Money.parse(amount, ledger.currency());
        } catch (IllegalArgumentException | ArithmeticException | NullPointerException e) {
            throw new ValidationException("amount", "write an amount such as 12.50");
        }
        if (credit.isNegative() || credit.isZero()) throw new ValidationException("amount", "give a positive amount");
        repository.lockCreditNoteSequence(invoice.issuerId()); // also orders two refunds of one invoice
        Money left = invoice.total().minus(Money.of(repository.creditedMinor(invoiceId), invoice.total().currency()));
        if (credit.compareTo(left) > 0) {
            throw new ValidationException("amount", "at most " + left + " of invoice " + invoice.numberText() + " is left to refund");
        }
        long number = repository.nextCreditNoteNumber(invoice.issuerId());
        String numberText = new CreditNote(0, 0, 0, 0, number, credit, credit, 0, why, 0, clock.instant()).numberText();
        LedgerEntry entry = ledger.append(new NewEntry(invoice.customerId(), EntryKind.CREDIT, credit, null, actor.accountId(),
                actor.username(), "Refund on invoice " + invoice.numberText() + ": " + why, "credit-note " + numberText, null,
                clock.instant()));
        int rate = invoice.taxRateBp();
        Money tax = Money.of(Money.divideRounded(Math.multiplyExact(credit.minor(), rate), 10_000L + rate), credit.currency());
        CreditNote draft = new CreditNote(0, invoice.issuerId(), invoice.customerId(), invoiceId, number, credit, tax, rate, why,
                entry.id(), clock.instant());
        long id = repository.insertCreditNote(draft, CreditNotePdf.render(draft, invoice));
        audit.record(actor, "billing.credit-note", "account", invoice.customerId(),
                numberText + " for invoice " + invoice.numberText() + ": " + credit + ": " + why);
        return repository.creditNote(id).orElseThrow();
    }

    /** An invoice now of the customer's charges not invoiced yet (409 when there are none). */
    public Invoice invoiceNow(Actor actor, long customerId) {
        requireProvider(actor, customerId, "only the account's provider issues its invoices");
        Invoice invoice = invoicing.issueNow(customerId);
        audit.record(actor, "billing.invoice-on-demand", "account", customerId, "invoice " + invoice.numberText() + ": " + invoice.total());
        return invoice;
    }

    public List<CreditNote> creditNotes(Actor actor, long customerId, int offset, int limit) {
        billing.visible(actor, customerId);
        return repository.creditNotes(customerId, offset, limit);
    }

    public long countCreditNotes(Actor actor, long customerId) {
        billing.visible(actor, customerId);
        return repository.countCreditNotes(customerId);
    }

    /** A credit note, for whoever may see its customer's billing. */
    public CreditNote creditNote(Actor actor, long id) {
        return repository.creditNote(id).filter(c -> repository.account(c.customerId())
                        .filter(a -> AccessRules.canSeeBilling(actor, a.id(), a.parentId())).isPresent())
                .orElseThrow(() -> new NotFoundException("credit note", id));
    }

    public byte[] creditNotePdf(Actor actor, long id) {
        creditNote(actor, id);
        return repository.creditNotePdf(id).orElseThrow(() -> new NotFoundException("credit note", id));
    }

    /** Whether the actor may refund and invoice on demand for this account (the panel shows the forms only then). */
    public boolean isProvider(Actor actor, long customerId) {
        return billing.canRecordPayment(actor, customerId);
    }

    private void requireProvider(Actor actor, long customerId, String refusal) {
        BillingAccount account = billing.visible(actor, customerId);
        if (!AccessRules.canRecordPayment(actor, account.id(), account.parentId())) throw new ForbiddenException(refusal);
    }
}
