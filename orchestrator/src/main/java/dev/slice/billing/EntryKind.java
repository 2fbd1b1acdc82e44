package dev.slice.billing;

import java.util.Locale;

/**
 * What a ledger entry is. The sign is the kind's: payments and credits raise the balance, charges and refunds
 * lower it, an adjustment goes either way, a reversal is the exact negative of the entry it undoes.
 */
public enum EntryKind {
    CHARGE(-1), PAYMENT(1), CREDIT(1), REFUND(-1), ADJUSTMENT(0), REVERSAL(0);

    private final int sign;

    EntryKind(int sign) {
        this.sign = sign;
    }

    /** +1 or -1 for kinds with a fixed sign, 0 when the amount carries its own. */
    public int sign() { return sign; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static EntryKind fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
