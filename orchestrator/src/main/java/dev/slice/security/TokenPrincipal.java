package dev.slice.security;

import dev.slice.account.Actor;
import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * The principal of a request authenticated with an API token; carries the {@link Actor}. Authorities are
 * ROLE_OPERATOR/RESELLER/CUSTOMER. (Session logins come from the panel's own UserDetailsService;
 * {@link CurrentActor} accepts both.)
 */
public class TokenPrincipal extends User {
    private final Actor actor;

    public TokenPrincipal(Actor actor) {
        super(actor.username(), "", true, true, true, true, List.of(new SimpleGrantedAuthority("ROLE_" + actor.role().name())));
        this.actor = actor;
    }

    public Actor actor() {
        return actor;
    }
}
