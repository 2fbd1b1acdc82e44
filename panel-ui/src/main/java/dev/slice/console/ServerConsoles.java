package dev.slice.console;

import dev.slice.driver.capability.ConsoleStream;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/** Opens a server's console for a signed-in user, after the service layer has allowed it. */
@Component
class ServerConsoles {

    static final class NoSuchServerException extends RuntimeException {
        NoSuchServerException(String message) { super(message); }
    }

    static final class ConsoleUnavailableException extends RuntimeException {
        ConsoleUnavailableException(String message) { super(message); }
    }

    /** @throws AccessDeniedException when the user may not act on this server */
    void authorize(Authentication user, String serverId) {
        throw new ConsoleUnavailableException("the orchestrator is not wired yet");
    }

    ConsoleStream open(Authentication user, String serverId) {
        authorize(user, serverId);
        throw new ConsoleUnavailableException("the orchestrator is not wired yet");
    }
}
