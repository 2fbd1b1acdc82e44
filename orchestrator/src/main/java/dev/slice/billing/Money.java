package dev.slice.billing;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: integer minor units (cents for EUR) of one ISO 4217 currency, never floating point.
 *
 * <p>The one rounding rule: wherever an amount is divided (the hourly share of a monthly price, the tax contained in
 * a total), the exact quotient is rounded to the nearest minor unit, and a quotient exactly half-way between two
 * minor units is rounded <b>half away from zero</b> (0.5 cent -> 1 cent, -0.5 cent -> -1 cent, 2.5 -> 3). Every
 * division of money in Slice goes through {@link #divideRounded(long, long)}.
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " has no minor unit; choose a real currency");
        }
    }

    public static Money of(long minor, Currency currency) {
        return new Money(minor, currency);
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Reads a decimal amount as written by a person ("12.34", "-5", "0.5"): exact, with no more decimals than the
     * currency has (EUR 2, JPY 0).
     *
     * @throws IllegalArgumentException not a number, too many decimals, or too large
     */
    public static Money parse(String text, Currency currency) {
        if (text == null || !text.strip().matches("[+-]?\\d{1,15}(\\.\\d+)?")) {
            throw new IllegalArgumentException("write an amount such as 12.50");
        }
        BigDecimal value = new BigDecimal(text.strip());
        int digits = currency.getDefaultFractionDigits();
        if (value.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " amounts have at most " + digits + " decimals");
        }
        return new Money(value.movePointRight(digits).longValueExact(), currency);
    }

    /** {@code numerator / denominator}, rounded half away from zero (the class's one rule). */
    public static long divideRounded(long numerator, long denominator) {
        if (denominator == 0) throw new ArithmeticException("division by zero");
        long quotient = numerator / denominator;
        long remainder = Math.abs(numerator % denominator);
        // remainder / |denominator| >= 1/2, without overflowing 2 * remainder
        if (remainder >= Math.abs(denominator) - remainder) {
            quotient += (numerator < 0) == (denominator < 0) ? 1 : -1;
        }
        return quotient;
    }

    /** This amount times {@code numerator / denominator}, rounded by the one rule. */
    public Money times(long numerator, long denominator) {
        return new Money(divideRounded(Math.multiplyExact(minor, numerator), denominator), currency);
    }

    public Money plus(Money other) {
        return new Money(Math.addExact(minor, same(other).minor), currency);
    }

    public Money minus(Money other) {
        return new Money(Math.subtractExact(minor, same(other).minor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    public boolean isNegative() { return minor < 0; }

    public boolean isZero() { return minor == 0; }

    @Override
    public int compareTo(Money other) {
        return Long.compare(minor, same(other).minor);
    }

    /** The amount as a plain decimal, e.g. "-12.30" (no currency, no grouping). */
    public String decimal() {
        return BigDecimal.valueOf(minor, currency.getDefaultFractionDigits()).toPlainString();
    }

    /** "12.30 EUR". */
    @Override
    public String toString() {
        return decimal() + " " + currency.getCurrencyCode();
    }

    private Money same(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot mix " + currency.getCurrencyCode() + " and " + other.currency.getCurrencyCode());
        }
        return other;
    }
}
