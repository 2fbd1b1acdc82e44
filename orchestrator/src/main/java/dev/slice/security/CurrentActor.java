package dev.slice.security;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/** Turns an Authentication (session login or API token) into the {@link Actor} services take. */
@Component
public class CurrentActor {
    private final AccountService accounts;

    public CurrentActor(AccountService accounts) {
        this.accounts = accounts;
    }

    /** The actor of the current request/thread, if someone is logged in. */
    public Optional<Actor> get() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public Optional<Actor> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) return Optional.empty();
        Object principal = authentication.getPrincipal();
        if (principal instanceof TokenPrincipal token) return Optional.of(token.actor());
        // A session login (the panel's principal): look the account up again, so a disabled account stops at once.
        String username = principal instanceof UserDetails details ? details.getUsername() : authentication.getName();
        return accounts.findForLogin(username).filter(a -> a.enabled()).map(a -> a.asActor());
    }
}
