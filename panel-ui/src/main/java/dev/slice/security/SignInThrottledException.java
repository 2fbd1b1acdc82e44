package dev.slice.security;

import java.time.Duration;
import org.springframework.security.authentication.AccountStatusException;

/**
 * Too many failed sign-ins for this user name and/or client address: the password was not checked. An account status
 * exception, so Spring Security's provider manager reports it at once instead of trying another provider.
 */
final class SignInThrottledException extends AccountStatusException {
    private final Duration retryAfter;

    SignInThrottledException(Duration retryAfter) {
        super("too many failed sign-ins; try again in " + seconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    /** Whole seconds to wait, at least 1. */
    long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
