package dev.slice.server;

import java.util.Locale;

/** What Slice is doing with a server; the guest's power is {@link PowerState}, kept apart. */
public enum ServerStatus {
    PROVISIONING, ACTIVE, SUSPENDED, REINSTALLING, RESIZING, DELETING, DELETED, FAILED,
    /** Booted from a rescue system with its own disk attached (dev.slice.rescue); leaving makes it active again. */
    RESCUE;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static ServerStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
