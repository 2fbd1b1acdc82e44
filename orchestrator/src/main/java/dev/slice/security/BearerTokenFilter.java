package dev.slice.security;

import dev.slice.account.ApiTokenService;
import dev.slice.account.Actor;
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
 * presented token that is unknown, revoked or of a disabled account is answered 401 at once.
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
        Optional<Actor> actor = tokens.authenticate(request.getHeader("Authorization").substring(7).strip());
        if (actor.isEmpty()) {
            JsonErrors.write(response, 401, "unauthenticated", "the API token is unknown, revoked or its account is disabled");
            return;
        }
        TokenPrincipal user = new TokenPrincipal(actor.get());
        contexts.set(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        try {
            chain.doFilter(request, response);
        } finally {
            contexts.clear();
        }
    }
}
