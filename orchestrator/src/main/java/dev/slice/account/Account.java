package dev.slice.account;

import java.time.Instant;

/**
 * An account as views show it; never carries the password hash.
 *
 * @param mustChangePassword its password was set by someone else (a reset): the panel asks for a new one first
 */
public record Account(long id, Role role, String username, String displayName, String email, Long parentId,
                      String parentUsername, boolean enabled, Instant createdAt, boolean mustChangePassword) {
    public Actor asActor() { return new Actor(id, username, role, parentId); }
}
