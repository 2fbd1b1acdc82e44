package dev.slice.account;

import java.time.Instant;

/**
 * A token as listed: only its first characters are kept in clear, to recognise it. {@code expiresAt} is null for a
 * token that does not expire.
 */
public record ApiToken(long id, long accountId, String name, String prefix, TokenScope scope, Instant createdAt,
                       Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
