package dev.slice.account;

import java.time.Instant;

/** An account as views show it; never carries the password hash. */
public record Account(long id, Role role, String username, String displayName, String email, Long parentId,
                      String parentUsername, boolean enabled, Instant createdAt) {
    public Actor asActor() { return new Actor(id, username, role, parentId); }
}
