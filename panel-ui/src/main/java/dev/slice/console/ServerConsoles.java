package dev.slice.console;

import dev.slice.driver.capability.ConsoleStream;
import dev.slice.error.ConflictException;
import dev.slice.error.NotFoundException;
import dev.slice.security.SignedInUser;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The console WebSocket's view of the server service: the same access rule as every other server action
 * (owner, its reseller, operators), decided by {@link ServerService}, never here.
 */
@Component
class ServerConsoles {

    static final class NoSuchServerException extends RuntimeException {
        NoSuchServerException(String message) { super(message); }
    }

    static final class ConsoleUnavailableException extends RuntimeException {
        ConsoleUnavailableException(String message) { super(message); }
    }

    private final ServerService servers;
    private final SignedInUser users;

    ServerConsoles(ServerService servers, SignedInUser users) {
        this.servers = servers;
        this.users = users;
    }

    /**
     * @throws NoSuchServerException       the id is malformed, or the server does not exist for this user
     * @throws ConsoleUnavailableException the server's backend has no console
     */
    void authorize(Authentication user, String serverId) {
        Server server;
        try {
            server = servers.get(users.actorOf(user), parse(serverId));
        } catch (NotFoundException e) {
            throw new NoSuchServerException(e.getMessage());
        }
        if (!server.capabilities().contains("console")) {
            throw new ConsoleUnavailableException("the " + server.backend() + " backend has no console");
        }
    }

    ConsoleStream open(Authentication user, String serverId) {
        try {
            return servers.openConsole(users.actorOf(user), parse(serverId));
        } catch (NotFoundException e) {
            throw new NoSuchServerException(e.getMessage());
        } catch (ConflictException e) {
            throw new ConsoleUnavailableException(e.getMessage());
        }
    }

    private static long parse(String serverId) {
        try {
            return Long.parseLong(serverId);
        } catch (NumberFormatException e) {
            throw new NoSuchServerException("server '" + serverId + "' not found");
        }
    }
}
