package dev.slice.db;

import java.util.Map;

/**
 * How the embedded PostgreSQL treats a commit. A real installation runs {@link #DURABLE}; only tests, which throw
 * their data away, may trade that for speed.
 */
public enum Durability {
    /** A commit is acknowledged only once its WAL is on disk, and torn pages can be repaired: survives power loss. */
    DURABLE(Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on")),
    /** Nothing is flushed (the library's test defaults): a crash of Slice loses nothing, a crash of the host may. */
    FAST(Map.of("fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));

    private final Map<String, String> serverSettings;

    Durability(Map<String, String> serverSettings) {
        this.serverSettings = serverSettings;
    }

    /** The PostgreSQL settings ({@code -c name=value}) this mode stands for. */
    public Map<String, String> serverSettings() {
        return serverSettings;
    }
}
