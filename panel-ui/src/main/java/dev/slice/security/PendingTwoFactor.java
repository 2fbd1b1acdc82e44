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
 * puts the login in place.
 */
record PendingTwoFactor(String username, String address, Instant until) implements Serializable {
    static final String ATTRIBUTE = PendingTwoFactor.class.getName();
    /** Long enough to open an app and type a code; after that the password is asked again. */
    static final Duration VALID_FOR = Duration.ofMinutes(5);

    static void start(HttpSession session, String username, String address, Clock clock) {
        session.setAttribute(ATTRIBUTE, new PendingTwoFactor(username, address, clock.instant().plus(VALID_FOR)));
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
