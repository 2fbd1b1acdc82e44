package dev.slice.billing;

import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import java.time.Clock;
import java.util.Currency;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appending to the ledger, for every caller (people through {@link BillingService}, metering, the provider's
 * webhook): the checks that make an entry well-formed before the database's own rules see it.
 */
@Service
public class Ledger {
    private final BillingRepository repository;
    private final Currency currency;
    private final Clock clock;

    public Ledger(BillingRepository repository, BillingProperties properties, Clock clock) {
        this.repository = repository;
        this.currency = properties.currencyUnit();
        this.clock = clock;
    }

    public Currency currency() {
        return currency;
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public LedgerEntry append(NewEntry entry) {
        if (entry.reason() == null || entry.reason().isBlank()) throw new ValidationException("reason", "say why (it is kept with the entry)");
        if (entry.reason().length() > 500) throw new ValidationException("reason", "at most 500 characters");
        if (!entry.amount().currency().equals(currency)) {
            throw new ValidationException("amount", "this installation bills in " + currency.getCurrencyCode());
        }
        if (entry.amount().isZero()) throw new ValidationException("amount", "must not be zero");
        int sign = entry.kind().sign();
        if (sign != 0 && Long.signum(entry.amount().minor()) != sign) {
            throw new ValidationException("amount", "a " + entry.kind().id() + (sign > 0 ? " raises" : " lowers") + " the balance");
        }
        if ((entry.kind() == EntryKind.REVERSAL) != (entry.reverses() != null)) {
            throw new IllegalArgumentException("a reversal, and only a reversal, names the entry it undoes");
        }
        return repository.append(entry);
    }

    /**
     * Undoes an entry by appending its exact negative; an entry is reversed once at most, and a reversal never. The
     * reversal accrues now: a charge already invoiced is credited on the next invoice.
     */
    @Transactional
    public LedgerEntry reverse(LedgerEntry original, Long actorId, String actorName, String reason) {
        if (original.kind() == EntryKind.REVERSAL) throw new ConflictException("a reversal cannot be reversed; record a new entry");
        repository.lockBalance(original.accountId()); // two reversals of one entry: the second waits, then sees the first
        if (repository.isReversed(original.id())) throw new ConflictException("entry " + original.id() + " is already reversed");
        return append(new NewEntry(original.accountId(), EntryKind.REVERSAL, original.amount().negate(), original.id(), actorId,
                actorName, reason, null, original.serverId(), clock.instant()));
    }
}
