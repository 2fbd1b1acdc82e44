package dev.slice.security;

import dev.slice.account.Actor;
import org.springframework.security.access.AccessDeniedException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The {@link Actor} behind the current view or console connection, for the service calls the panel makes.
 * The orchestrator's {@link CurrentActor} looks the account up again each time, so an account disabled
 * while signed in stops working at once.
 */
@Component
public class SignedInUser {

    private final CurrentActor actors;

    SignedInUser(CurrentActor actors) {
        this.actors = actors;
    }

    /** The actor of the current Vaadin request (Spring Security has put the session's login in place). */
    public Actor actor() {
        return actors.get().orElseThrow(SignedInUser::notSignedIn);
    }

    /** Whether this session's account has a one-time password to replace before anything else. */
    public boolean mustChangePassword() {
        return mustChangePassword(actors.authentication());
    }

    /** The same for an already authenticated principal, e.g. a WebSocket handshake's. */
    public boolean mustChangePassword(Authentication authentication) {
        return actors.mustChangePassword(authentication);
    }

    /** What this session's account must do before anything else (every page leads there), if anything. */
    public Optional<FirstStep> firstStep() {
        return firstStep(actors.authentication());
    }

    /** The same for an already authenticated principal, e.g. a WebSocket handshake's. */
    public Optional<FirstStep> firstStep(Authentication authentication) {
        return actors.firstStep(authentication);
    }

    /** Who signed in as the current account ("sign in as" for support), if anyone. */
    public Optional<Actor> impersonator() {
        return actors.impersonator(actors.authentication());
    }

    /** The actor of an already authenticated principal, e.g. a WebSocket handshake's. */
    public Actor actorOf(Authentication authentication) {
        return actors.of(authentication).orElseThrow(SignedInUser::notSignedIn);
    }

    private static AccessDeniedException notSignedIn() {
        return new AccessDeniedException("not signed in, or the account is disabled");
    }
}
