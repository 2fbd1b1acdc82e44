package dev.slice.billing;

import java.time.Instant;

/**
 * One line of an account's ledger, as stored: never changed afterwards.
 *
 * @param seq          the entry's place in its account's ledger (1, 2, 3... without gaps)
 * @param balanceAfter the account's balance once this entry counted
 * @param reverses     the entry this one undoes (kind reversal), else null
 * @param accruedAt    when the amount belongs to (a metered charge: its first hour)
 */
public record LedgerEntry(long id, long accountId, long seq, EntryKind kind, Money amount, Money balanceAfter, Long reverses,
                          String actorName, String reason, String reference, Long serverId, Instant accruedAt, Instant createdAt) {}
