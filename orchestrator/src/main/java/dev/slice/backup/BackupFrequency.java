package dev.slice.backup;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** How often a schedule backs a server up. */
public enum BackupFrequency {
    DAILY(Duration.ofDays(1)), WEEKLY(Duration.ofDays(7));

    private final Duration period;

    BackupFrequency(Duration period) {
        this.period = period;
    }

    public Duration period() { return period; }

    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** "daily" or "weekly" (any case); empty for anything else. */
    public static Optional<BackupFrequency> parse(String id) {
        if (id == null) return Optional.empty();
        for (BackupFrequency f : values()) if (f.id().equalsIgnoreCase(id.strip())) return Optional.of(f);
        return Optional.empty();
    }
}
