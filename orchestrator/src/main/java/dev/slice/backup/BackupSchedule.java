package dev.slice.backup;

import java.time.Instant;

/** A server's schedule: a backup each period, the newest {@code retention} scheduled ones kept. */
public record BackupSchedule(long serverId, BackupFrequency frequency, int retention, Instant nextRunAt) {

    /** When a scheduled backup taken at {@code takenAt} ends: after as many periods as are kept. */
    public Instant expiry(Instant takenAt) {
        return takenAt.plus(frequency.period().multipliedBy(retention));
    }
}
