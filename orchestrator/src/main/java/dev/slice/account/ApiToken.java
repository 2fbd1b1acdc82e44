package dev.slice.account;

import java.time.Instant;

/** A token as listed: only its first characters are kept in clear, to recognise it. */
public record ApiToken(long id, long accountId, String name, String prefix, Instant createdAt, Instant lastUsedAt,
                       Instant revokedAt) {}
