package dev.slice.backup;

import java.time.Instant;

/**
 * A backup of a server's disk as the panel and the API show it. It belongs to the server's owner and outlives the
 * server until {@code expiresAt}.
 *
 * @param name      the customer's label (or the schedule's)
 * @param archive   where the archive was written (a file in the backup store), once it was
 * @param sha256    the archive's checksum, recorded after writing and checked before it is ready and before every restore
 * @param expiresAt when its retention ends; null while it is kept until deleted
 */
public record Backup(long id, long serverId, long ownerId, long nodeId, String backend, String template, String name,
                     BackupTrigger trigger, BackupStatus status, String archive, Long sizeBytes, String sha256, String error,
                     Instant expiresAt, Instant createdAt, long version) {}
