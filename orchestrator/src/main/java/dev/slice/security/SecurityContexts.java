package dev.slice.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * The security context of this application's current request or thread: the one place Slice reads and sets the login.
 *
 * <p>It uses this application's {@link SecurityContextHolderStrategy}, picked exactly as Spring Security picks the one
 * of its filters (the unique strategy bean, else the holder's strategy of the time the application starts), never
 * the static {@link SecurityContextHolder}. Vaadin's auto-configuration makes a strategy bean per application (its
 * {@code VaadinAwareSecurityContextHolderStrategy}, a thread-local of its own) and points the JVM-wide holder at it,
 * so a second application in the JVM re-points the holder at its own: the first one's filters then put the login
 * where the holder no longer looks, and every {@code /api} call of the first was a 401.
 */
@Component
public class SecurityContexts {
    private final SecurityContextHolderStrategy strategy;

    public SecurityContexts(ObjectProvider<SecurityContextHolderStrategy> strategies) {
        this.strategy = strategies.getIfUnique(SecurityContextHolder::getContextHolderStrategy);
    }

    /** The current login, or null. */
    public Authentication authentication() {
        return strategy.getContext().getAuthentication();
    }

    /** Puts the login in place for the rest of this request or thread. */
    public SecurityContext set(Authentication authentication) {
        SecurityContext context = strategy.createEmptyContext();
        context.setAuthentication(authentication);
        strategy.setContext(context);
        return context;
    }

    /** Puts the login in place and keeps it in the HTTP session, for the session's next requests. */
    public void setInSession(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
        HttpSessionSecurityContextRepository sessions = new HttpSessionSecurityContextRepository();
        sessions.setSecurityContextHolderStrategy(strategy);
        sessions.saveContext(set(authentication), request, response);
    }

    public void clear() {
        strategy.clearContext();
    }

    /** The strategy itself, for Spring Security parts built by hand. */
    public SecurityContextHolderStrategy strategy() {
        return strategy;
    }
}
