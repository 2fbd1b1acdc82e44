package dev.slice.security;

import dev.slice.account.AccountService;
import dev.slice.account.LoginAccount;
import dev.slice.audit.AuditLog;
import dev.slice.signin.SignInThrottle;
import dev.slice.twofactor.TwoFactorService;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The panel's password check with the orchestrator's {@link SignInThrottle} in front: while a delay runs the password is
 * not even compared. Sign-ins and failed sign-ins go to the audit log (throttled attempts do not, so a flood of them
 * cannot flood the log). For an account with two-factor sign-in a right password is only the first step
 * ({@link TwoFactorRequiredException}; {@link TwoFactorSignInFilter} takes the code).
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {
    private final AuthenticationProvider passwords;
    private final SignInThrottle throttle;
    private final AccountService accounts;
    private final AuditLog audit;
    private final TwoFactorService twoFactor;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, SignInThrottle throttle, AccountService accounts, AuditLog audit,
                                    TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
        this.passwords = passwords;
        this.throttle = throttle;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        String username = attempt.getName();
        String address = addressOf(attempt);
        Optional<Duration> wait = throttle.waitBefore(username, address);
        if (wait.isPresent()) throw new SignInThrottledException(wait.get());
        Authentication result;
        try {
            result = passwords.authenticate(attempt);
        } catch (AuthenticationException e) {
            Optional<Duration> next = throttle.failed(username, address);
            Optional<LoginAccount> account = accounts.findForLogin(username);
            audit.recordAnonymous("account.sign-in-failed", "account", account.map(LoginAccount::id).orElse(null),
                    "as '" + printable(username) + "' from " + address + ": " + e.getMessage()
                            + next.map(d -> "; next attempt in " + d.toSeconds() + " s").orElse(""));
            if (next.isPresent()) throw new SignInThrottledException(next.get());
            throw e;
        }
        // With two-factor sign-in the password alone is not a success: the failures keep counting until the code is right
        // (TwoFactorService.signIn), so a guesser who has the password cannot reset the throttle with it.
        if (twoFactor.isRequired(result.getName())) {
            throw new TwoFactorRequiredException(result.getName(),
                    accounts.findForLogin(result.getName()).map(LoginAccount::passwordHash).orElse(""));
        }
        throttle.succeeded(username, address);
        accounts.findForLogin(username).ifPresent(account ->
                audit.record(account.asActor(), "account.sign-in", "account", account.id(), "from " + address));
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    private static String addressOf(Authentication attempt) {
        return attempt.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
    }

    /** What a guesser typed, safe for the log: no control characters, not too long. */
    private static String printable(String username) {
        String text = username == null ? "" : username.replaceAll("\\p{Cntrl}", "?");
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
