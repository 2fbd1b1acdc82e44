package dev.slice.notification;

import java.time.Instant;

/**
 * One finished job told to the people who may see it: what happened, to which server, and whether it worked.
 *
 * @param hostname the server's hostname, or null for a job without a server (a report run)
 * @param text     one sentence for people, e.g. "Order of web-1 finished." or "Backup of web-1 failed: disk full."
 * @param unread   finished after the account last looked at its notifications
 */
public record Notification(long jobId, Long serverId, String hostname, String kind, boolean succeeded, Instant finishedAt,
                           String text, boolean unread) {}
