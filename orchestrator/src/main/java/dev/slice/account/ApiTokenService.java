package dev.slice.account;

import dev.slice.audit.AuditLog;
import dev.slice.error.NotFoundException;
import dev.slice.error.PlainText;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens ({@code Authorization: Bearer slc_...}). Tokens are 256 random bits, so a plain SHA-256 is
 * a safe stored form (no brute force is possible) and lets lookups use an index.
 */
@Service
public class ApiTokenService {
    static final String PREFIX = "slc_";
    public static final int MAX_NAME_LENGTH = 64;
    /** The longest an expiring token may be made to last; the one home of this bound (API and panel). */
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final Clock clock;

    public ApiTokenService(JdbcClient jdbc, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /** A full token that does not expire, acting as the caller; the clear text is in the result only. */
    public NewApiToken create(Actor actor, String name) {
        return create(actor, name, TokenScope.FULL, null);
    }

    /**
     * A token acting as the caller with this scope, expiring at {@code expiresAt} (null: never); the expiry must be in
     * the future and at most {@link #MAX_LIFETIME} away. The clear text is in the result only.
     */
    @Transactional
    public NewApiToken create(Actor actor, String name, TokenScope scope, Instant expiresAt) {
        String label = name == null ? "" : PlainText.check("name", name, 1000).strip();
        if (label.isEmpty() || label.length() > MAX_NAME_LENGTH) {
            throw new ValidationException("name", "give the token a name of 1-" + MAX_NAME_LENGTH + " characters");
        }
        checkExpiry(expiresAt);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        var keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into api_token (account_id, name, token_hash, token_prefix, created_at, scope, expires_at)
                values (:account, :name, :hash, :prefix, :now, :scope, :expires)""")
                .param("account", actor.accountId()).param("name", label).param("hash", hash(token))
                .param("prefix", token.substring(0, 10)).param("now", Timestamp.from(clock.instant()))
                .param("scope", scope.id()).param("expires", expiresAt == null ? null : Timestamp.from(expiresAt))
                .update(keys, "id");
        long id = keys.getKeyAs(Long.class);
        audit.record(actor, "token.create", "api_token", id, label + " (" + scope.id()
                + (expiresAt == null ? "" : ", expires " + expiresAt) + ")");
        return new NewApiToken(find(id).orElseThrow(), token);
    }

    private void checkExpiry(Instant expiresAt) {
        if (expiresAt == null) return;
        Instant now = clock.instant();
        if (!expiresAt.isAfter(now)) {
            throw new ValidationException("expiresAt", "the expiry must be in the future (it is " + now + " now)");
        }
        if (expiresAt.isAfter(now.plus(MAX_LIFETIME))) {
            throw new ValidationException("expiresAt", "a token may last at most " + MAX_LIFETIME.toDays()
                    + " days: give an expiry before " + now.plus(MAX_LIFETIME) + ", or none for a token that does not expire");
        }
    }

    public List<ApiToken> list(Actor actor) {
        return jdbc.sql("select * from api_token where account_id = ? and revoked_at is null order by id")
                .param(actor.accountId()).query(ApiTokenService::map).list();
    }

    @Transactional
    public void revoke(Actor actor, long tokenId) {
        int changed = jdbc.sql("update api_token set revoked_at = ? where id = ? and account_id = ? and revoked_at is null")
                .params(Timestamp.from(clock.instant()), tokenId, actor.accountId()).update();
        if (changed == 0) throw new NotFoundException("API token", tokenId);
        audit.record(actor, "token.revoke", "api_token", tokenId, "");
    }

    /** The account a presented token acts as; empty for a token that {@link #check} refuses. */
    public Optional<Actor> authenticate(String token) {
        return check(token) instanceof TokenCheck.Accepted accepted ? Optional.of(accepted.actor()) : Optional.empty();
    }

    /**
     * Who a presented token acts as and with which scope; refused for unknown, revoked, expired, or an account that may
     * not sign in ({@link AccessRules#canSignIn}: disabled, or its reseller is). One read; the last-used time is written
     * at most once a minute per token, so API reads do not queue on the token's row.
     */
    public TokenCheck check(String token) {
        TokenCheck.Refused unknown = new TokenCheck.Refused("the API token is unknown, revoked or its account is disabled");
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) return unknown;
        record Found(long tokenId, Timestamp lastUsed, Timestamp expires, TokenScope scope, Actor actor, boolean maySignIn) {}
        Optional<Found> found = jdbc.sql("""
                select t.id as token_id, t.last_used_at, t.expires_at, t.scope, a.id, a.username, a.role, a.parent_id,
                  a.enabled, p.enabled as parent_enabled
                from api_token t join account a on a.id = t.account_id left join account p on p.id = a.parent_id
                where t.token_hash = ? and t.revoked_at is null and a.deleted_at is null""")
                .param(hash(token))
                .query((rs, n) -> new Found(rs.getLong("token_id"), rs.getTimestamp("last_used_at"),
                        rs.getTimestamp("expires_at"), TokenScope.fromId(rs.getString("scope")),
                        new Actor(rs.getLong("id"), rs.getString("username"), Role.fromId(rs.getString("role")),
                                (Long) rs.getObject("parent_id")),
                        AccessRules.canSignIn(rs.getBoolean("enabled"), (Boolean) rs.getObject("parent_enabled"))))
                .optional().filter(Found::maySignIn);
        if (found.isEmpty()) return unknown;
        Found f = found.get();
        Instant now = clock.instant();
        if (f.expires() != null && !f.expires().toInstant().isAfter(now)) {
            return new TokenCheck.Refused("the API token expired at " + f.expires().toInstant() + "; create a new one");
        }
        if (f.lastUsed() == null || f.lastUsed().toInstant().isBefore(now.minus(LAST_USED_RESOLUTION))) {
            jdbc.sql("update api_token set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                    .params(Timestamp.from(now), f.tokenId(), Timestamp.from(now.minus(LAST_USED_RESOLUTION))).update();
        }
        return new TokenCheck.Accepted(f.actor(), f.scope());
    }

    private Optional<ApiToken> find(long id) {
        return jdbc.sql("select * from api_token where id = ?").param(id).query(ApiTokenService::map).optional();
    }

    private static ApiToken map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        Timestamp used = rs.getTimestamp("last_used_at");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        Timestamp expires = rs.getTimestamp("expires_at");
        return new ApiToken(rs.getLong("id"), rs.getLong("account_id"), rs.getString("name"), rs.getString("token_prefix"),
                TokenScope.fromId(rs.getString("scope")), rs.getTimestamp("created_at").toInstant(),
                expires == null ? null : expires.toInstant(), used == null ? null : used.toInstant(),
                revoked == null ? null : revoked.toInstant());
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
