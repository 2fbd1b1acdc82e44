package dev.slice.billing;

import java.time.Instant;

/**
 * A credit note: part or all of an invoice given back to its customer, as a credit on the customer's ledger. Numbered per
 * issuer in a series of its own (1, 2, 3... without gaps, apart from the invoices' numbers); {@code tax} is the part of
 * {@code amount} that is tax at the invoice's rate.
 */
public record CreditNote(long id, long issuerId, long customerId, long invoiceId, long number, Money amount, Money tax,
                         int taxRateBp, String reason, long ledgerEntryId, Instant issuedAt) {

    /** The number as printed: "CN-" and six digits at least. */
    public String numberText() {
        return "CN-%06d".formatted(number);
    }
}
