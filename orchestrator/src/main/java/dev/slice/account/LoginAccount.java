package dev.slice.account;

/**
 * What a login form needs: the stored hash is checked with the application's PasswordEncoder.
 *
 * @param enabled whether it may sign in: its own flag and its reseller's ({@link dev.slice.security.AccessRules#canSignIn})
 */
public record LoginAccount(long id, String username, String passwordHash, Role role, Long parentId, boolean enabled,
                           boolean mustChangePassword) {
    public Actor asActor() { return new Actor(id, username, role, parentId); }
}
