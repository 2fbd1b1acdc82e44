package dev.slice.audit;

import java.time.Instant;

/** One row of the audit log; {@link #sentence()} is how it is shown. */
public record AuditEntry(long id, Instant at, Long actorId, String actorName, String action, String targetType,
                         String targetId, String detail) {
    public String sentence() {
        return AuditSentences.of(this);
    }
}
