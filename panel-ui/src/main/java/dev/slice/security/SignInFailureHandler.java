package dev.slice.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Back to the sign-in page: {@code ?error} for a wrong name or password (which one is not told), or
 * {@code ?error&wait=N} when the throttle refused the attempt, so the page can say how long to wait; on to the code page
 * when the password was right and the account has two-factor sign-in.
 */
final class SignInFailureHandler implements AuthenticationFailureHandler {
    static final String WAIT_PARAMETER = "wait";
    /** The name typed in the failed attempt, kept in the session (not the address, which ends up in logs) for the form. */
    static final String LAST_USERNAME = "slice.signIn.lastUsername";
    private static final int LONGEST_USERNAME = 64;

    private final String loginPage;
    private final DefaultRedirectStrategy redirects = new DefaultRedirectStrategy();

    private final Clock clock;

    SignInFailureHandler(String loginPage, Clock clock) {
        this.loginPage = loginPage;
        this.clock = clock;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof TwoFactorRequiredException pending) {
            // A new session id for the half-done sign-in too, so a session fixed by someone else does not carry it.
            if (request.getSession(false) != null) request.changeSessionId();
            PendingTwoFactor.start(request.getSession(true), pending.username(), pending.passwordHash(), clock);
            redirects.sendRedirect(request, response, TwoFactorSignInFilter.PATH);
            return;
        }
        String typed = request.getParameter("username");
        if (typed != null && !typed.isBlank() && typed.length() <= LONGEST_USERNAME) {
            request.getSession(true).setAttribute(LAST_USERNAME, typed.strip());
        }
        String query = e instanceof SignInThrottledException throttled
                ? "?error&" + WAIT_PARAMETER + "=" + throttled.retryAfterSeconds() : "?error";
        if (e instanceof SignInThrottledException throttled) response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        redirects.sendRedirect(request, response, loginPage + query);
    }
}
