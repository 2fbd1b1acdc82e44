package dev.slice.console;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.LoginAccount;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.error.ConflictException;
import dev.slice.error.NotFoundException;
import dev.slice.security.SignedInUser;
import dev.slice.server.Server;
import dev.slice.server.ServerService;
import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The console WebSocket's view of the server service: the same access rule as every other server action
 * (owner, its reseller, operators), decided by {@link ServerService#checkConsoleAccess}, never here; for opening a
 * console and, again, for keeping it open.
 */
@Component
class ServerConsoles {

    static final class NoSuchServerException extends RuntimeException {
        NoSuchServerException(String message) { super(message); }
    }

    static final class ConsoleUnavailableException extends RuntimeException {
        ConsoleUnavailableException(String message) { super(message); }
    }

    /**
     * Who opened a console of which server, and with which password (its stored hash, so that a later password change
     * shows as a different hash).
     */
    record Grant(Authentication user, long accountId, String username, String passwordHash, long serverId) {}

    private final ServerService servers;
    private final AccountService accounts;
    private final SignedInUser users;

    ServerConsoles(ServerService servers, AccountService accounts, SignedInUser users) {
        this.servers = servers;
        this.accounts = accounts;
        this.users = users;
    }

    /**
     * @throws AccessDeniedException       the account is disabled, or has a first step pending (a one-time password to
     *                                     replace, a required enrolment): as in the panel's pages and the API, nothing else first
     * @throws NoSuchServerException       the id is malformed, or the server does not exist for this user
     * @throws ConsoleUnavailableException the server's backend has no console, or the server is suspended or going away
     */
    void authorize(Authentication user, String serverId) {
        Actor actor = users.actorOf(user);
        users.firstStep(user).ifPresent(step -> {
            throw new AccessDeniedException(step.message());
        });
        long id = parse(serverId);
        Server server;
        try {
            servers.checkConsoleAccess(actor, id);
            server = servers.get(actor, id);
        } catch (NotFoundException e) {
            throw new NoSuchServerException(e.getMessage());
        } catch (ConflictException e) {
            throw new ConsoleUnavailableException(e.getMessage());
        }
        if (!server.capabilities().contains("console")) {
            throw new ConsoleUnavailableException("the " + server.backend() + " backend has no console");
        }
    }

    /** Opens the guest's console for this user, and the grant to re-check it by. */
    Opened open(Authentication user, String serverId) {
        Actor actor = users.actorOf(user);
        LoginAccount account = accounts.findForLogin(actor.username()).orElseThrow(() -> new AccessDeniedException("no account"));
        long id = parse(serverId);
        try {
            ConsoleStream stream = servers.openConsole(actor, id);
            return new Opened(stream, new Grant(user, account.id(), account.username(), account.passwordHash(), id));
        } catch (NotFoundException e) {
            throw new NoSuchServerException(e.getMessage());
        } catch (ConflictException e) {
            throw new ConsoleUnavailableException(e.getMessage());
        }
    }

    record Opened(ConsoleStream stream, Grant grant) {}

    /** Why the console of this grant may no longer stay open, if it may not. */
    Optional<String> whyNotAllowed(Grant grant) {
        Optional<LoginAccount> account = accounts.findForLogin(grant.username()).filter(a -> a.id() == grant.accountId());
        if (account.isEmpty() || !account.get().enabled()) return Optional.of("signed out: the account was disabled");
        if (!account.get().passwordHash().equals(grant.passwordHash())) {
            return Optional.of("signed out: the account's password was changed");
        }
        try {
            servers.checkConsoleAccess(account.get().asActor(), grant.serverId());
            return Optional.empty();
        } catch (NotFoundException e) {
            return Optional.of("access to this server was withdrawn");
        } catch (ConflictException e) {
            return Optional.of(e.getMessage());
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
