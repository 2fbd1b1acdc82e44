package dev.slice.account;

import dev.slice.security.AccessRules;
import java.time.Instant;

/**
 * An account as views show it; never carries the password hash.
 *
 * @param parentEnabled      whether its reseller (or the operator) is enabled; null for the operator, which belongs to nobody
 * @param mustChangePassword its password was set by someone else (a reset): the panel asks for a new one first
 */
public record Account(long id, Role role, String username, String displayName, String email, Long parentId,
                      String parentUsername, Boolean parentEnabled, boolean enabled, Instant createdAt,
                      boolean mustChangePassword) {
    public Actor asActor() { return new Actor(id, username, role, parentId); }

    /** Enabled itself but not signing in, because its reseller is disabled ({@link AccessRules#canSignIn}). */
    public boolean disabledWithItsSeller() {
        return enabled && !AccessRules.canSignIn(true, parentEnabled);
    }
}
