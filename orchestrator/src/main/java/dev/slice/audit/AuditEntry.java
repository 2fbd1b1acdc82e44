package dev.slice.audit;

import java.time.Instant;

public record AuditEntry(long id, Instant at, Long actorId, String actorName, String action, String targetType,
                         String targetId, String detail) {}
