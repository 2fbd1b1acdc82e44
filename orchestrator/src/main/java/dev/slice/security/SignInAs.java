package dev.slice.security;

import dev.slice.account.Account;
import dev.slice.account.AccountManagement;
import dev.slice.account.Actor;
import dev.slice.error.ConflictException;
import dev.slice.error.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * "Sign in as" a customer for support: the session's login is replaced by one of the customer, which carries the
 * original login (Spring Security's {@link SwitchUserGrantedAuthority}, as its switch-user filter does), so every view,
 * REST call and console of that session acts as the customer until {@link #end} puts the original back. Both are in
 * the audit log. {@link CurrentActor} checks on every request that the one who signed in still may.
 */
@Component
public class SignInAs {
    /** The authority that marks a login as "signed in as"; its source is the original login. */
    public static final String AUTHORITY = "ROLE_PREVIOUS_ADMINISTRATOR";

    private final AccountManagement accounts;
    private final CurrentActor actors;
    private final SecurityContexts contexts;

    public SignInAs(AccountManagement accounts, CurrentActor actors, SecurityContexts contexts) {
        this.accounts = accounts;
        this.actors = actors;
        this.contexts = contexts;
    }

    /** Switches this session to the account (404 unseen, 403 not allowed, 409 disabled or already signed in as). */
    public Account start(Actor actor, long accountId, HttpServletRequest request, HttpServletResponse response) {
        Account target = accounts.signInAsTarget(actor, accountId);
        Authentication current = contexts.authentication();
        if (current == null || current.getPrincipal() instanceof TokenPrincipal || request.getSession(false) == null) {
            throw ValidationException.ofRequest("sign in as works on a signed-in panel session, not with an API token");
        }
        if (originalOf(current).isPresent()) throw new ConflictException("you are signed in as someone already: go back first");
        User principal = (User) User.withUsername(target.username()).password("").roles(target.role().name()).build();
        List<GrantedAuthority> authorities = new ArrayList<>(principal.getAuthorities());
        authorities.add(new SwitchUserGrantedAuthority(AUTHORITY, current));
        save(UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities), request, response);
        accounts.recordSignInAs(actor, target);
        return target;
    }

    /** Puts the original login back; returns who that is. 409 when this session is not signed in as anyone. */
    public Actor end(HttpServletRequest request, HttpServletResponse response) {
        Authentication current = contexts.authentication();
        Authentication original = originalOf(current)
                .orElseThrow(() -> new ConflictException("this session is not signed in as another account"));
        Actor impersonator = actors.of(original).orElse(null);
        actors.of(current).ifPresent(target -> accounts.recordSignInAsEnded(impersonator, target));
        save(original, request, response);
        if (impersonator == null) throw new ConflictException("the account that signed in as this one can no longer sign in");
        return impersonator;
    }

    /** The login that signed in as the current one, if it is a "sign in as". */
    public static Optional<Authentication> originalOf(Authentication authentication) {
        if (authentication == null) return Optional.empty();
        return authentication.getAuthorities().stream()
                .filter(a -> a instanceof SwitchUserGrantedAuthority).map(a -> ((SwitchUserGrantedAuthority) a).getSource())
                .findFirst();
    }

    private void save(Authentication authentication, HttpServletRequest request, HttpServletResponse response) {
        contexts.setInSession(authentication, request, response);
    }
}
