package dev.slice.backup;

import java.util.Locale;

/** Who asked for a backup: a person (kept until deleted, or until retention ends after its server is deleted) or the schedule. */
public enum BackupTrigger {
    MANUAL, SCHEDULED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static BackupTrigger fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
