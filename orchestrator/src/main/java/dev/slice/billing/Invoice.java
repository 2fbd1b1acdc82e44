package dev.slice.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An issued invoice: what the issuer (the customer's reseller, or the operator) billed the customer for a calendar month.
 * Prices include tax; {@code tax} is the part of {@code total} that is tax at {@code taxRateBp}. Names and addresses
 * are copied in when it is issued, so the document never changes afterwards.
 *
 * @param number the issuer's next number, 1, 2, 3... without gaps
 */
public record Invoice(long id, long issuerId, long customerId, long number, LocalDate periodStart, LocalDate periodEnd,
                      Money total, Money tax, int taxRateBp, Party issuer, Party customer, Instant issuedAt, List<Line> lines) {

    public record Party(String name, String address, String taxId) {}

    public record Line(String description, Money amount) {}

    public Money net() {
        return total.minus(tax);
    }

    /** The number as printed: six digits at least. */
    public String numberText() {
        return "%06d".formatted(number);
    }
}
