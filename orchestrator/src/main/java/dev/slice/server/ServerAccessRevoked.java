package dev.slice.server;

/** Published (after commit) when a server's console may no longer be used: open consoles of it end on it. */
public record ServerAccessRevoked(long serverId, Reason reason) {
    public enum Reason {
        SUSPENDED("the server was suspended"),
        DELETED("the server is being deleted");

        private final String description;

        Reason(String description) { this.description = description; }

        public String description() { return description; }
    }
}
