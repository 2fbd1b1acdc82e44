package dev.slice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import org.junit.jupiter.api.Test;

class MoneyTest {
    static final Currency EUR = Currency.getInstance("EUR");
    static final Currency JPY = Currency.getInstance("JPY");

    @Test
    void halvesRoundAwayFromZeroAndEverythingElseToTheNearest() {
        assertThat(Money.divideRounded(1, 2)).isEqualTo(1);
        assertThat(Money.divideRounded(-1, 2)).isEqualTo(-1);
        assertThat(Money.divideRounded(5, 2)).isEqualTo(3);
        assertThat(Money.divideRounded(-5, 2)).isEqualTo(-3);
        assertThat(Money.divideRounded(5, -2)).isEqualTo(-3);
        assertThat(Money.divideRounded(7, 3)).isEqualTo(2);
        assertThat(Money.divideRounded(8, 3)).isEqualTo(3);
        assertThat(Money.divideRounded(-8, 3)).isEqualTo(-3);
        assertThat(Money.divideRounded(6, 3)).isEqualTo(2);
        assertThat(Money.divideRounded(0, 7)).isZero();
        assertThat(Money.divideRounded(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(1);
        assertThat(Money.divideRounded(Long.MAX_VALUE, 2)).isEqualTo(Long.MAX_VALUE / 2 + 1);
    }

    @Test
    void anHourOfAMonthlyPriceIsItsShareOf672RoundedByTheRule() {
        // 336 hours of 1 cent a month are exactly half a cent: up to 1.
        assertThat(Money.of(1, EUR).times(336, 672)).isEqualTo(Money.of(1, EUR));
        assertThat(Money.of(1000, EUR).times(1, 672)).isEqualTo(Money.of(1, EUR)); // 1.488
        assertThat(Money.of(499, EUR).times(38, 672)).isEqualTo(Money.of(28, EUR)); // 28.217
        assertThat(Money.of(-1, EUR).times(336, 672)).isEqualTo(Money.of(-1, EUR));
    }

    @Test
    void parsesExactlyAndRefusesMoreDecimalsThanTheCurrencyHas() {
        assertThat(Money.parse("12.34", EUR).minor()).isEqualTo(1234);
        assertThat(Money.parse("12.5", EUR).minor()).isEqualTo(1250);
        assertThat(Money.parse("-0.01", EUR).minor()).isEqualTo(-1);
        assertThat(Money.parse("12.340", EUR).minor()).isEqualTo(1234);
        assertThat(Money.parse("700", JPY).minor()).isEqualTo(700);
        assertThatThrownBy(() -> Money.parse("0.001", EUR)).hasMessageContaining("at most 2 decimals");
        assertThatThrownBy(() -> Money.parse("1.5", JPY)).hasMessageContaining("at most 0 decimals");
        assertThatThrownBy(() -> Money.parse("1e3", EUR)).hasMessageContaining("such as 12.50");
        assertThatThrownBy(() -> Money.parse(null, EUR)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void arithmeticStaysInOneCurrencyAndNeverOverflowsSilently() {
        assertThat(Money.of(150, EUR).plus(Money.of(-50, EUR))).isEqualTo(Money.of(100, EUR));
        assertThat(Money.of(150, EUR).minus(Money.of(200, EUR)).isNegative()).isTrue();
        assertThatThrownBy(() -> Money.of(1, EUR).plus(Money.of(1, JPY))).hasMessageContaining("cannot mix EUR and JPY");
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, EUR).plus(Money.of(1, EUR))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(1, Currency.getInstance("XXX"))).hasMessageContaining("no minor unit");
    }

    @Test
    void printsAsAPlainDecimalWithItsCode() {
        assertThat(Money.of(-1230, EUR)).hasToString("-12.30 EUR");
        assertThat(Money.of(5, EUR).decimal()).isEqualTo("0.05");
        assertThat(Money.of(700, JPY)).hasToString("700 JPY");
    }
}
