package dev.slice.account;

/**
 * Published (after commit) when what an account's existing sign-ins may do shrinks: long-lived connections of that
 * account, such as open consoles, end on it.
 */
public record AccountAccessRevoked(long accountId, String username, Reason reason) {
    public enum Reason {
        DISABLED("the account was disabled"),
        PROVIDER_DISABLED("the account's provider was disabled"),
        PASSWORD_CHANGED("the account's password was changed"),
        DELETED("the account was deleted");

        private final String description;

        Reason(String description) { this.description = description; }

        public String description() { return description; }
    }
}
