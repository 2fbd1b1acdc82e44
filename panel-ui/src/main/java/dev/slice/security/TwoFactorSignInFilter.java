package dev.slice.security;

import dev.slice.account.AccountService;
import dev.slice.audit.AuditLog;
import dev.slice.error.ValidationException;
import dev.slice.signin.TooManyAttemptsException;
import dev.slice.twofactor.TwoFactorService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The second step of a sign-in ({@code POST /login/two-factor}, after the CSRF filter): the code or recovery code of the
 * session's {@link PendingTwoFactor}. A right one puts the login in place as form login would (new session id, new
 * CSRF token); a wrong one goes back to the code page, and too many wrong ones are refused by the sign-in throttle
 * ({@code ?error&wait=N}, Retry-After). Without a pending sign-in (none, expired, or the password changed since) it is
 * back to the password.
 */
final class TwoFactorSignInFilter extends OncePerRequestFilter {
    static final String PATH = "/login/two-factor";

    private final TwoFactorService twoFactor;
    private final AccountUserDetailsService users;
    private final AccountService accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final SecurityContexts contexts;
    private final DefaultRedirectStrategy redirects = new DefaultRedirectStrategy();

    TwoFactorSignInFilter(TwoFactorService twoFactor, AccountService accounts, AuditLog audit, Clock clock, SecurityContexts contexts) {
        this.twoFactor = twoFactor;
        this.contexts = contexts;
        this.users = new AccountUserDetailsService(accounts);
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && PATH.equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<PendingTwoFactor> pending = PendingTwoFactor.of(request.getSession(false), clock)
                .filter(p -> accounts.findForLogin(p.username()).filter(a -> p.samePassword(a.passwordHash())).isPresent());
        if (pending.isEmpty()) {
            PendingTwoFactor.end(request.getSession(false));
            redirects.sendRedirect(request, response, PanelSecurityConfiguration.LOGIN + "?expired");
            return;
        }
        String username = pending.get().username();
        String address = request.getRemoteAddr();
        boolean right;
        try {
            right = twoFactor.signIn(username, address, Optional.ofNullable(request.getParameter("code")).orElse(""));
        } catch (ValidationException malformed) {
            right = false;
        } catch (TooManyAttemptsException throttled) {
            response.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            redirects.sendRedirect(request, response, PATH + "?error&" + SignInFailureHandler.WAIT_PARAMETER + "="
                    + throttled.retryAfterSeconds());
            return;
        }
        if (!right) {
            accounts.findForLogin(username).ifPresent(account -> audit.recordAnonymous("account.sign-in-failed", "account",
                    account.id(), "as '" + username + "' from " + address + ": wrong two-factor code"));
            redirects.sendRedirect(request, response, PATH + "?error");
            return;
        }
        UserDetails user;
        try {
            user = users.loadUserByUsername(username);
        } catch (UsernameNotFoundException gone) {
            user = null;
        }
        PendingTwoFactor.end(request.getSession(false));
        if (user == null || !user.isEnabled()) {
            redirects.sendRedirect(request, response, PanelSecurityConfiguration.LOGIN + "?error");
            return;
        }
        request.changeSessionId();
        new HttpSessionCsrfTokenRepository().saveToken(null, request, response);
        contexts.setInSession(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()), request, response);
        accounts.findForLogin(username).ifPresent(account ->
                audit.record(account.asActor(), "account.sign-in", "account", account.id(), "from " + address + ", with two-factor"));
        redirects.sendRedirect(request, response, "/");
    }
}
