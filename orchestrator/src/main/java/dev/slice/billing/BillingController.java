package dev.slice.billing;

import dev.slice.account.Actor;
import dev.slice.api.Page;
import dev.slice.api.Paging;
import dev.slice.billing.BillingRepository.Profile;
import dev.slice.billing.BillingService.EntryRequest;
import dev.slice.billing.BillingService.ProfileRequest;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Balances, ledgers, payments and billing profiles under /api/billing. Amounts go out as minor units and as decimals. */
@dev.slice.api.SliceApi
@RestController
@RequestMapping("/api/billing")
public class BillingController {
    private final BillingService billing;
    private final CreditNotes creditNotes;

    BillingController(BillingService billing, CreditNotes creditNotes) {
        this.billing = billing;
        this.creditNotes = creditNotes;
    }

    public record BalanceView(long accountId, String currency, long balanceMinor, String balance) {}

    public record EntryView(long id, long accountId, long seq, String kind, long amountMinor, String amount, String currency,
                            long balanceAfterMinor, Long reverses, String recordedBy, String reason, String reference, Long serverId,
                            Instant accruedAt, Instant createdAt) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(e.id(), e.accountId(), e.seq(), e.kind().id(), e.amount().minor(), e.amount().decimal(),
                    e.amount().currency().getCurrencyCode(), e.balanceAfter().minor(), e.reverses(), e.actorName(), e.reason(),
                    e.reference(), e.serverId(), e.accruedAt(), e.createdAt());
        }
    }

    /** @param amount a decimal such as "12.50" */
    public record PaymentRequest(String amount, String reason, String reference) {}

    public record ReversalRequest(String reason) {}

    @GetMapping("/accounts/{id}/balance")
    BalanceView balance(Actor actor, @PathVariable long id) {
        Money balance = billing.balance(actor, id);
        return new BalanceView(id, balance.currency().getCurrencyCode(), balance.minor(), balance.decimal());
    }

    @GetMapping("/accounts/{id}/ledger")
    Page<EntryView> ledger(Actor actor, @PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                           @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(billing.ledger(actor, id, offset, limit).stream().map(EntryView::of).toList(), billing.countLedger(actor, id));
    }

    /** A payment received from the account (operators, and resellers for their customers). */
    @PostMapping("/accounts/{id}/payments")
    @ResponseStatus(HttpStatus.CREATED)
    EntryView pay(Actor actor, @PathVariable long id, @RequestBody PaymentRequest request) {
        return EntryView.of(billing.record(actor, id, new EntryRequest("payment", request.amount(), request.reason(),
                request.reference())));
    }

    /** Any entry a provider records by hand: payment, credit, refund, charge or adjustment. */
    @PostMapping("/accounts/{id}/entries")
    @ResponseStatus(HttpStatus.CREATED)
    EntryView record(Actor actor, @PathVariable long id, @RequestBody EntryRequest request) {
        return EntryView.of(billing.record(actor, id, request));
    }

    @PostMapping("/entries/{id}/reverse")
    @ResponseStatus(HttpStatus.CREATED)
    EntryView reverse(Actor actor, @PathVariable long id, @RequestBody ReversalRequest request) {
        return EntryView.of(billing.reverse(actor, id, request.reason()));
    }

    @GetMapping("/accounts/{id}/profile")
    Profile profile(Actor actor, @PathVariable long id) {
        return billing.profile(actor, id);
    }

    @PutMapping("/accounts/{id}/profile")
    Profile saveProfile(Actor actor, @PathVariable long id, @RequestBody ProfileRequest request) {
        return billing.saveProfile(actor, id, request);
    }

    public record InvoiceLineView(String description, long amountMinor, String amount) {}

    public record InvoiceView(long id, String number, long issuerId, long customerId, java.time.LocalDate periodStart,
                              java.time.LocalDate periodEnd, String currency, long totalMinor, String total, long taxMinor, String tax,
                              int taxRateBp, String issuerName, String issuerAddress, String issuerTaxId, String customerName,
                              Instant issuedAt, java.util.List<InvoiceLineView> lines) {
        static InvoiceView of(Invoice i) {
            return new InvoiceView(i.id(), i.numberText(), i.issuerId(), i.customerId(), i.periodStart(), i.periodEnd(),
                    i.total().currency().getCurrencyCode(), i.total().minor(), i.total().decimal(), i.tax().minor(), i.tax().decimal(),
                    i.taxRateBp(), i.issuer().name(), i.issuer().address(), i.issuer().taxId(), i.customer().name(), i.issuedAt(),
                    i.lines().stream().map(l -> new InvoiceLineView(l.description(), l.amount().minor(), l.amount().decimal())).toList());
        }
    }

    @GetMapping("/accounts/{id}/invoices")
    Page<InvoiceView> invoices(Actor actor, @PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                               @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(billing.invoices(actor, id, offset, limit).stream().map(InvoiceView::of).toList(),
                billing.countInvoices(actor, id));
    }

    @GetMapping("/invoices/{id}")
    InvoiceView invoice(Actor actor, @PathVariable long id) {
        return InvoiceView.of(billing.invoice(actor, id));
    }

    /** The invoice as issued, as a PDF file. */
    @GetMapping("/invoices/{id}/pdf")
    org.springframework.http.ResponseEntity<byte[]> invoicePdf(Actor actor, @PathVariable long id) {
        Invoice invoice = billing.invoice(actor, id);
        return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"invoice-" + invoice.issuerId() + "-" + invoice.numberText() + ".pdf\"")
                .body(billing.invoicePdf(actor, id));
    }

    /** Issues an invoice now of the customer's charges that no invoice billed yet (409 when there are none). */
    @PostMapping("/accounts/{id}/invoices")
    @ResponseStatus(HttpStatus.CREATED)
    InvoiceView invoiceNow(Actor actor, @PathVariable long id) {
        return InvoiceView.of(creditNotes.invoiceNow(actor, id));
    }

    /** @param amount a decimal such as "5.00" */
    public record RefundRequest(String amount, String reason) {}

    public record CreditNoteView(long id, String number, long issuerId, long customerId, long invoiceId, String currency,
                                 long amountMinor, String amount, long taxMinor, String tax, int taxRateBp, String reason,
                                 long ledgerEntryId, Instant issuedAt) {
        static CreditNoteView of(CreditNote c) {
            return new CreditNoteView(c.id(), c.numberText(), c.issuerId(), c.customerId(), c.invoiceId(),
                    c.amount().currency().getCurrencyCode(), c.amount().minor(), c.amount().decimal(), c.tax().minor(), c.tax().decimal(),
                    c.taxRateBp(), c.reason(), c.ledgerEntryId(), c.issuedAt());
        }
    }

    /** A refund against the invoice: a credit on the customer's ledger and a credit note (the issuer's next number). */
    @PostMapping("/invoices/{id}/refunds")
    @ResponseStatus(HttpStatus.CREATED)
    CreditNoteView refund(Actor actor, @PathVariable long id, @RequestBody RefundRequest request) {
        return CreditNoteView.of(creditNotes.refund(actor, id, request.amount(), request.reason()));
    }

    @GetMapping("/accounts/{id}/credit-notes")
    Page<CreditNoteView> creditNotes(Actor actor, @PathVariable long id, @RequestParam(defaultValue = "0") int offset,
                                     @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(creditNotes.creditNotes(actor, id, offset, limit).stream().map(CreditNoteView::of).toList(),
                creditNotes.countCreditNotes(actor, id));
    }

    @GetMapping("/credit-notes/{id}/pdf")
    org.springframework.http.ResponseEntity<byte[]> creditNotePdf(Actor actor, @PathVariable long id) {
        CreditNote note = creditNotes.creditNote(actor, id);
        return org.springframework.http.ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"credit-note-" + note.issuerId() + "-" + note.numberText() + ".pdf\"")
                .body(creditNotes.creditNotePdf(actor, id));
    }

    public record WholesaleRequest(String amount) {}

    public record WholesaleView(long planId, long amountMinor, String amount, String currency) {}

    public record MarginView(String month, long retailMinor, String retail, long wholesaleMinor, String wholesale, long marginMinor,
                             String margin) {}

    /** The operator's price to the reseller for each server on this plan, per month (metered hourly like the retail price). */
    @PutMapping("/plans/{id}/wholesale")
    WholesaleView wholesale(Actor actor, @PathVariable long id, @RequestBody WholesaleRequest request) {
        Money price = billing.setWholesale(actor, id, request.amount());
        return new WholesaleView(id, price.minor(), price.decimal(), price.currency().getCurrencyCode());
    }

    /** {@code overagePerGb}: a decimal amount such as "0.02" (0 for none). */
    public record WholesaleTrafficRequest(String overagePerGb) {}

    /** The operator's price to the reseller per GB of its customers' traffic over the plan's allowance, charged at month end. */
    @PutMapping("/plans/{id}/wholesale-traffic")
    WholesaleView wholesaleTraffic(Actor actor, @PathVariable long id, @RequestBody WholesaleTrafficRequest request) {
        Money price = billing.setWholesaleTraffic(actor, id, request.overagePerGb());
        return new WholesaleView(id, price.minor(), price.decimal(), price.currency().getCurrencyCode());
    }

    public record PlanPricesView(long planId, String planName, long retailMinor, String retail, Long wholesaleMinor, String wholesale) {}

    /** The reseller's plans, each with its retail price and the operator's wholesale price (null when none is set). */
    @GetMapping("/resellers/{id}/wholesale")
    java.util.List<PlanPricesView> wholesalePrices(Actor actor, @PathVariable long id) {
        return billing.planPrices(actor, id).stream().map(p -> new PlanPricesView(p.planId(), p.planName(), p.retail().minor(),
                p.retail().decimal(), p.wholesale() == null ? null : p.wholesale().minor(),
                p.wholesale() == null ? null : p.wholesale().decimal())).toList();
    }

    @GetMapping("/resellers/{id}/margins")
    java.util.List<MarginView> margins(Actor actor, @PathVariable long id) {
        return billing.margins(actor, id).stream().map(m -> new MarginView(m.month().toString(), m.retail().minor(), m.retail().decimal(),
                m.wholesale().minor(), m.wholesale().decimal(), m.margin().minor(), m.margin().decimal())).toList();
    }
}
