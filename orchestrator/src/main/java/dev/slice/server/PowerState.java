package dev.slice.server;

import java.util.Locale;

/** The guest's power as last observed on its node (by a job or the reconciler). */
public enum PowerState {
    RUNNING, STOPPED, UNKNOWN;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static PowerState fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
