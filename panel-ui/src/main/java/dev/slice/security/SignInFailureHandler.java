package dev.slice.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * Back to the sign-in page: {@code ?error} for a wrong name or password (which one is not told), or
 * {@code ?error&wait=N} when the throttle refused the attempt, so the page can say how long to wait.
 */
final class SignInFailureHandler implements AuthenticationFailureHandler {
    static final String WAIT_PARAMETER = "wait";

    private final String loginPage;
    private final DefaultRedirectStrategy redirects = new DefaultRedirectStrategy();

    SignInFailureHandler(String loginPage) {
        this.loginPage = loginPage;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String query = e instanceof SignInThrottledException throttled
                ? "?error&" + WAIT_PARAMETER + "=" + throttled.retryAfterSeconds() : "?error";
        if (e instanceof SignInThrottledException throttled) response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        redirects.sendRedirect(request, response, loginPage + query);
    }
}
