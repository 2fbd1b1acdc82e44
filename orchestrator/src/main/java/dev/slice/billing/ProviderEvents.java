package dev.slice.billing;

import dev.slice.audit.AuditLog;
import dev.slice.billing.BillingRepository.BillingAccount;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A payment provider's webhook, so a real gateway can be attached: each event is signed with HMAC-SHA256 over the
 * raw body with {@code slice.billing.webhook-secret} (header {@code X-Slice-Signature: sha256=<hex>}) and is applied
 * once per provider event id, however often it is delivered.
 *
 * <p>The body: {@code {"id": "evt_1", "type": "payment.succeeded", "accountId": 12, "amount": "25.00", "currency": "EUR"}};
 * {@code payment.refunded} records a refund; any other type is acknowledged and ignored.
 */
@Service
public class ProviderEvents {
    public static final String SIGNATURE_HEADER = "X-Slice-Signature";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BillingRepository repository;
    private final Ledger ledger;
    private final AuditLog audit;
    private final Clock clock;
    private final byte[] secret;

    public ProviderEvents(BillingRepository repository, Ledger ledger, AuditLog audit, Clock clock, BillingProperties properties) {
        this.repository = repository;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.secret = properties.webhookSecret().getBytes(StandardCharsets.UTF_8);
    }

    /** The signature did not prove the provider sent this body (401). */
    public static final class BadSignature extends RuntimeException {
        BadSignature(String message) {
            super(message);
        }
    }

    /** @param outcome applied, duplicate (seen before) or ignored (a type Slice does not act on) */
    public record Outcome(String eventId, String outcome, Long entryId) {}

    public static String sign(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Transactional
    public Outcome receive(byte[] body, String signature) {
        if (secret.length == 0) throw new BadSignature("no webhook secret is configured (slice.billing.webhook-secret)");
        if (signature == null || !signature.strip().matches("sha256=[0-9a-fA-F]{64}")) {
            throw new BadSignature("send " + SIGNATURE_HEADER + ": sha256=<hex HMAC-SHA256 of the body>");
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = ("sha256=" + signature.strip().substring(7).toLowerCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) throw new BadSignature("the signature does not match the body");

        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (JacksonException e) {
            throw ValidationException.ofRequest("the body is not JSON");
        }
        if (event == null || !event.isObject()) throw ValidationException.ofRequest("the body is not a JSON object");
        String id = text(event, "id", 200);
        String type = text(event, "type", 100);
        EntryKind kind = switch (type) {
            case "payment.succeeded" -> EntryKind.PAYMENT;
            case "payment.refunded" -> EntryKind.REFUND;
            default -> null;
        };
        Optional<ProviderEventRow> seen = repository.providerEvent(id);
        if (seen.isPresent()) return new Outcome(id, "duplicate", seen.get().entryId());
        if (kind == null) {
            if (!repository.insertProviderEvent(id, type, null)) return duplicate(id);
            return new Outcome(id, "ignored", null);
        }
        JsonNode accountNode = event.get("accountId");
        if (accountNode == null || !accountNode.isIntegralNumber() || !accountNode.canConvertToLong()) {
            throw new ValidationException("accountId", "the id of the account that paid");
        }
        BillingAccount account = repository.account(accountNode.asLong()).filter(a -> a.parentId() != null)
                .orElseThrow(() -> new ValidationException("accountId", "no such account"));
        String currency = text(event, "currency", 3);
        if (!currency.equals(ledger.currency().getCurrencyCode())) {
            throw new ValidationException("currency", "this installation bills in " + ledger.currency().getCurrencyCode());
        }
        Money amount;
        try {
            amount = Money.parse(text(event, "amount", 20), ledger.currency());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ValidationException("amount", e.getMessage());
        }
        if (amount.isNegative() || amount.isZero()) throw new ValidationException("amount", "give a positive amount");
        // The row first: a concurrent delivery of the same id waits on it, then finds it and does nothing.
        if (!repository.insertProviderEvent(id, type, account.id())) return duplicate(id);
        LedgerEntry entry = ledger.append(new NewEntry(account.id(), kind, kind == EntryKind.REFUND ? amount.negate() : amount, null,
                null, "provider", "payment provider event " + type, id, null, clock.instant()));
        repository.setProviderEventEntry(id, entry.id());
        audit.record(null, "billing.provider-event", "account", account.id(), type + " " + id + ": " + amount);
        return new Outcome(id, "applied", entry.id());
    }

    private Outcome duplicate(String id) {
        return new Outcome(id, "duplicate", repository.providerEvent(id).map(ProviderEventRow::entryId).orElse(null));
    }

    private static String text(JsonNode event, String field, int max) {
        JsonNode node = event.get(field);
        if (node == null || !node.isString() || node.asString().isBlank()) throw new ValidationException(field, "is required (a string)");
        return PlainText.check(field, node.asString().strip(), max);
    }

    /** A provider event as stored. */
    public record ProviderEventRow(String eventId, String type, Long accountId, Long entryId) {}
}
