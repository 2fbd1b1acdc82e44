package dev.slice.billing;

import java.time.Duration;
import java.util.Currency;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Billing's settings ({@code slice.billing.*}); defaults in {@code slice-orchestrator-defaults.properties}.
 *
 * @param currency          ISO 4217 code of every amount of this installation (default EUR)
 * @param webhookSecret     the shared secret of the payment provider's webhook (HMAC-SHA256); empty refuses every event
 * @param prepaid           the default for accounts that do not say: an order must be covered by the balance
 * @param taxRateBp         the default tax rate contained in prices, in basis points (2000 = 20%)
 * @param meteringEnabled   run the metering and invoicing pass on a schedule
 * @param meteringInterval  how often that pass runs (it catches up every hour it missed)
 * @param dunningGrace      how long a balance may stay negative before the account's servers are suspended; empty or 0
 *                          turns dunning off (the default)
 * @param dunningTerminateAfter how long in arrears before the operator is asked (in the audit log) to terminate; Slice
 *                          never deletes by itself
 * @param mailFrom          the sender of billing's e-mails (SMTP itself is Spring Boot's {@code spring.mail.*})
 */
@ConfigurationProperties("slice.billing")
public record BillingProperties(String currency, String webhookSecret, boolean prepaid, int taxRateBp, boolean meteringEnabled,
                                Duration meteringInterval, Duration dunningGrace, Duration dunningTerminateAfter,
                                String mailFrom) {

    public BillingProperties {
        currency = currency == null || currency.isBlank() ? "EUR" : currency.strip();
        webhookSecret = webhookSecret == null ? "" : webhookSecret;
        if (taxRateBp < 0 || taxRateBp > 10_000) throw new IllegalArgumentException("slice.billing.tax-rate-bp must be 0..10000");
        meteringInterval = meteringInterval == null ? Duration.ofMinutes(5) : meteringInterval;
        dunningGrace = dunningGrace == null ? Duration.ZERO : dunningGrace;
        dunningTerminateAfter = dunningTerminateAfter == null ? Duration.ofDays(60) : dunningTerminateAfter;
        mailFrom = mailFrom == null || mailFrom.isBlank() ? "billing@localhost" : mailFrom.strip();
        Currency.getInstance(currency); // an unknown code stops the start with its name
    }

    public boolean dunning() {
        return dunningGrace.isPositive();
    }

    public Currency currencyUnit() {
        return Currency.getInstance(currency);
    }
}
