package dev.slice.security;

import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.twofactor.TwoFactorPolicy;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

/** Turns an Authentication (session login or API token) into the {@link Actor} services take. */
@Component
public class CurrentActor {
    private final AccountService accounts;
    private final AccountManagement management;
    private final SecurityContexts contexts;
    private final TwoFactorPolicy twoFactorPolicy;

    public CurrentActor(AccountService accounts, AccountManagement management, SecurityContexts contexts,
                        TwoFactorPolicy twoFactorPolicy) {
        this.accounts = accounts;
        this.management = management;
        this.contexts = contexts;
        this.twoFactorPolicy = twoFactorPolicy;
    }

    /** The actor of the current request/thread, if someone is logged in. */
    public Optional<Actor> get() {
        return of(contexts.authentication());
    }

    public Optional<Actor> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) return Optional.empty();
        Object principal = authentication.getPrincipal();
        if (principal instanceof TokenPrincipal token) return Optional.of(token.actor());
        // Signed in as someone for support: only while the one who did may still (both enabled, the rule holding).
        Optional<Authentication> original = SignInAs.originalOf(authentication);
        if (original.isPresent()) {
            Optional<Actor> impersonator = of(original.get());
            Optional<Actor> target = sessionActor(authentication);
            return impersonator.isPresent() && target.isPresent()
                    && management.maySignInAs(impersonator.get(), target.get().accountId()) ? target : Optional.empty();
        }
        return sessionActor(authentication);
    }

    /** The login of the current request/thread, or null. */
    public Authentication authentication() {
        return contexts.authentication();
    }

    /** The one who signed in as the current login, if it is a "sign in as". */
    public Optional<Actor> impersonator(Authentication authentication) {
        return SignInAs.originalOf(authentication).flatMap(this::of);
    }

    /** Whether the session's account must change its password before anything else (never while signed in as it). */
    public boolean mustChangePassword(Authentication authentication) {
        return firstStep(authentication).orElse(null) == FirstStep.CHANGE_PASSWORD;
    }

    /**
     * What the session's account must do before anything else: the one rule under the panel's pages, its console and
     * the API. Never for an API token (automation keeps working) nor while someone is signed in as the account.
     */
    public Optional<FirstStep> firstStep(Authentication authentication) {
        if (authentication == null || authentication.getPrincipal() instanceof TokenPrincipal
                || SignInAs.originalOf(authentication).isPresent()) return Optional.empty();
        return accounts.findForLogin(authentication.getName()).flatMap(a -> a.mustChangePassword() ? Optional.of(FirstStep.CHANGE_PASSWORD)
                : twoFactorPolicy.mustEnrol(a) ? Optional.of(FirstStep.ENROL_TWO_FACTOR) : Optional.empty());
    }

    private Optional<Actor> sessionActor(Authentication authentication) {
        Object principal = authentication.getPrincipal();
        // A session login (the panel's principal): look the account up again, so a disabled account stops at once.
        String username = principal instanceof UserDetails details ? details.getUsername() : authentication.getName();
        return accounts.findForLogin(username).filter(a -> a.enabled()).map(a -> a.asActor());
    }
}
