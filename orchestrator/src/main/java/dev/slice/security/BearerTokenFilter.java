package dev.slice.security;

import dev.slice.account.ApiTokenService;
import dev.slice.account.Actor;
import dev.slice.error.DatabaseOutage;
import dev.slice.account.TokenCheck;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer slc_...}: authenticates this request only (nothing goes into a session). A
 * presented token that is unknown, revoked, expired or of a disabled account is answered 401 at once; a read-only
 * token's request with a method other than GET or HEAD is answered 403.
 */
class BearerTokenFilter extends OncePerRequestFilter {
    private final ApiTokenService tokens;
    private final SecurityContexts contexts;

    BearerTokenFilter(ApiTokenService tokens, SecurityContexts contexts) {
        this.tokens = tokens;
        this.contexts = contexts;
    }

    static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        TokenCheck check;
        try {
            check = tokens.check(request.getHeader("Authorization").substring(7).strip());
        } catch (RuntimeException e) {
            if (!DatabaseOutage.is(e)) throw e;
            // Before any controller runs, so the API's advice cannot answer: the same 503 it would give.
            response.setHeader("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
            JsonErrors.write(response, 503, "unavailable", DatabaseOutage.MESSAGE);
            return;
        }
        if (check instanceof TokenCheck.Refused refused) {
            JsonErrors.write(response, 401, "unauthenticated", refused.message());
            return;
        }
        TokenCheck.Accepted accepted = (TokenCheck.Accepted) check;
        if (!accepted.scope().permits(request.getMethod())) {
            JsonErrors.write(response, 403, "insufficient_scope", "this API token's scope is " + accepted.scope().id()
                    + ": it may only read (GET, HEAD); use a token of scope full for " + request.getMethod());
            return;
        }
        Optional<Actor> actor = Optional.of(accepted.actor());
        TokenPrincipal user = new TokenPrincipal(actor.get());
        contexts.set(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clear();
        }
    }
}
