package dev.slice.security;

import org.springframework.security.authentication.AccountStatusException;

/**
 * The password was right, but the account has two-factor sign-in: not a sign-in yet. The failure handler keeps the
 * half-done sign-in in the session ({@link PendingTwoFactor}) and sends the browser to the code page. An account status
 * exception, so that the provider manager stops here.
 */
final class TwoFactorRequiredException extends AccountStatusException {
    private final String username;
    private final String passwordHash;

    TwoFactorRequiredException(String username, String passwordHash) {
        super("two-factor sign-in: a code is needed");
        this.username = username;
        this.passwordHash = passwordHash;
    }

    String username() { return username; }

    /** The stored hash the password matched (never the password), to notice a change before the code step. */
    String passwordHash() { return passwordHash; }
}
