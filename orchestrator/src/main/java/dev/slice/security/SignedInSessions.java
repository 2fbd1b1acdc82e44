package dev.slice.security;

import dev.slice.account.AccountAccessRevoked;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The servlet container's sessions (in memory: Slice has no shared session store), so that an account's web sessions
 * end when {@link AccountAccessRevoked} says so: a password reset or change, a disabled account or reseller, a deleted
 * account. The session that made the change keeps going (one's own password change signs out one's other browsers
 * only). A session belongs to the account that signed in with it, also while it is "signed in as" someone else.
 * API tokens are separate credentials and are not touched by a password change; disabling or deleting stops them
 * ({@link AccessRules#canSignIn}), and their owner revokes them one by one.
 *
 * <p>Each control-plane instance ends the sessions it holds; the event is published on the instance that made the
 * change, so with several instances the others' sessions of that account only stop for a disabled account (which
 * {@link CurrentActor} checks on every request), not for a password change.
 */
public class SignedInSessions implements HttpSessionListener, HttpSessionIdListener {
    private static final Logger log = LoggerFactory.getLogger(SignedInSessions.class);

    private final Map<String, HttpSession> byId = new ConcurrentHashMap<>();

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        byId.put(event.getSession().getId(), event.getSession());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        byId.remove(event.getSession().getId());
    }

    /** Spring Security gives a session a new id at sign-in (against session fixation). */
    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        byId.remove(oldSessionId);
        byId.put(event.getSession().getId(), event.getSession());
    }

    /** Last, after the listeners that close long-lived connections (consoles) with a reason of their own. */
    @TransactionalEventListener(fallbackExecution = true)
    @Order(Ordered.LOWEST_PRECEDENCE)
    void accountAccessRevoked(AccountAccessRevoked event) {
        String current = currentSessionId();
        int ended = 0;
        for (HttpSession session : byId.values()) {
            if (session.getId().equals(current)) continue;
            Optional<String> account = accountOf(session);
            if (account.isPresent() && account.get().equalsIgnoreCase(event.username())) {
                try {
                    session.invalidate();
                    ended++;
                } catch (IllegalStateException alreadyGone) {
                    byId.remove(session.getId());
                }
            }
        }
        if (ended > 0) log.info("ended {} web session(s) of {}: {}", ended, event.username(), event.reason().description());
    }

    /** The session of the request being served, if any; never makes one (a token request has none). */
    private static String currentSessionId() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)) return null;
        HttpSession session = request.getRequest().getSession(false);
        return session == null ? null : session.getId();
    }

    private static Optional<String> accountOf(HttpSession session) {
        try {
            if (!(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) instanceof SecurityContext context)
                    || context.getAuthentication() == null) return Optional.empty();
            Authentication login = context.getAuthentication();
            return Optional.of(SignInAs.originalOf(login).orElse(login).getName());
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }
}
