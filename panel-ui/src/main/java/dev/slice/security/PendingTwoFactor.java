package dev.slice.security;

import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A sign-in whose password was right and whose code is still to come, kept in the session. It is not a login: Spring
 * Security's context stays empty, so no page, REST call or console counts the session as signed in until the code step
 * puts the login in place. {@code passwordStamp} (a digest of the password hash the first step matched) ends it when the
 * password is reset or changed meanwhile.
 */
record PendingTwoFactor(String username, String passwordStamp, Instant until) implements Serializable {
    static final String ATTRIBUTE = PendingTwoFactor.class.getName();
    /** Long enough to open an app and type a code; after that the password is asked again. */
    static final Duration VALID_FOR = Duration.ofMinutes(5);

    static void start(HttpSession session, String username, String passwordHash, Clock clock) {
        session.setAttribute(ATTRIBUTE, new PendingTwoFactor(username, stamp(passwordHash), clock.instant().plus(VALID_FOR)));
    }

    /** Whether the account's password is still the one the first step checked. */
    boolean samePassword(String passwordHash) {
        return java.security.MessageDigest.isEqual(passwordStamp.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                stamp(passwordHash).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String stamp(String passwordHash) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(passwordHash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pending sign-in of this session, if there is one that has not expired. */
    static Optional<PendingTwoFactor> of(HttpSession session, Clock clock) {
        if (session == null) return Optional.empty();
        try {
            return session.getAttribute(ATTRIBUTE) instanceof PendingTwoFactor pending && pending.until().isAfter(clock.instant())
                    ? Optional.of(pending) : Optional.empty();
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    static void end(HttpSession session) {
        if (session != null) session.removeAttribute(ATTRIBUTE);
    }
}
