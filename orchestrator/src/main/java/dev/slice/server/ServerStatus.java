package dev.slice.server;

import java.util.Locale;

/** What Slice is doing with a server; the guest's power is {@link PowerState}, kept apart. */
public enum ServerStatus {
    PROVISIONING, ACTIVE, SUSPENDED, REINSTALLING, RESIZING, DELETING, DELETED, FAILED;

    public String id() { return name().toLowerCase(Locale.ROOT); }

    public static ServerStatus fromId(String id) { return valueOf(id.toUpperCase(Locale.ROOT)); }
}
