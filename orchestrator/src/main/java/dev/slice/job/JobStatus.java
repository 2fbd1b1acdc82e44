package dev.slice.job;

import java.util.Locale;

public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static JobStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }

    public boolean active() { return this == QUEUED || this == RUNNING; }
}
