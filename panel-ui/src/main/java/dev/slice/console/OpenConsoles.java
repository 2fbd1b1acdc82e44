package dev.slice.console;

import dev.slice.account.AccountAccessRevoked;
import dev.slice.driver.capability.ConsoleStream;
import dev.slice.server.ServerAccessRevoked;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * Every open console socket with who opened it, so that a console ends when its right to be open ends: at once on the
 * service layer's events (account disabled or its password changed, server suspended or being deleted), and on a
 * periodic re-check of the same rule the handshake used (for changes that publish no event). A console ended this way
 * is closed with 1008 (policy violation) and a reason the terminal shows.
 */
@Component
class OpenConsoles {

    /** One open console: the socket (serialized sends), the guest stream, and the sign-in it was opened with. */
    record OpenConsole(WebSocketSession session, ConsoleStream stream, ServerConsoles.Grant grant) {}

    private static final Logger log = LoggerFactory.getLogger(OpenConsoles.class);

    private final Map<String, OpenConsole> bySocket = new ConcurrentHashMap<>();
    private final ServerConsoles consoles;
    private final ScheduledExecutorService recheck;

    OpenConsoles(ServerConsoles consoles, @Value("${slice.console.recheck-interval:15s}") Duration interval) {
        this.consoles = consoles;
        this.recheck = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("console-recheck").daemon().factory());
        recheck.scheduleWithFixedDelay(this::recheckAll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void add(String socketId, OpenConsole console) {
        bySocket.put(socketId, console);
    }

    Optional<OpenConsole> get(String socketId) {
        return Optional.ofNullable(bySocket.get(socketId));
    }

    Optional<OpenConsole> remove(String socketId) {
        return Optional.ofNullable(bySocket.remove(socketId));
    }

    int size() {
        return bySocket.size();
    }

    /** Before the account's web sessions end (which makes Tomcat close their sockets with a reason of its own). */
    @TransactionalEventListener(fallbackExecution = true)
    @Order(0)
    void accountAccessRevoked(AccountAccessRevoked event) {
        closeWhere(c -> c.grant().accountId() == event.accountId(), "signed out: " + event.reason().description());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void serverAccessRevoked(ServerAccessRevoked event) {
        closeWhere(c -> c.grant().serverId() == event.serverId(), event.reason().description());
    }

    /** Asks the services again, for every open console, whether its user may still use it. */
    void recheckAll() {
        for (OpenConsole console : bySocket.values()) {
            try {
                consoles.whyNotAllowed(console.grant()).ifPresent(reason -> close(console, reason));
            } catch (RuntimeException e) {
                log.warn("re-checking the console of server {} failed", console.grant().serverId(), e);
            }
        }
    }

    private void closeWhere(Predicate<OpenConsole> affected, String reason) {
        bySocket.values().stream().filter(affected).forEach(console -> close(console, reason));
    }

    private static void close(OpenConsole console, String reason) {
        log.info("closing the console of server {} opened by {}: {}", console.grant().serverId(), console.grant().username(), reason);
        try {
            console.session().close(CloseStatus.POLICY_VIOLATION.withReason(reason));
        } catch (IOException | RuntimeException e) {
            log.debug("the console socket was already gone", e);
        }
    }

    @PreDestroy
    void stop() {
        recheck.shutdownNow();
    }
}
