package dev.slice.report;

import java.util.Locale;

/** Where a benchmark run is; the allowed changes are {@link ReportTransitions}. */
public enum ReportStatus {
    QUEUED, RUNNING, CANCELLING, SUCCEEDED, FAILED, CANCELLED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static ReportStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }

    public boolean active() { return this == QUEUED || this == RUNNING || this == CANCELLING; }
}
