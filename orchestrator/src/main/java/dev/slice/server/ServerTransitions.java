package dev.slice.server;

import static dev.slice.server.ServerStatus.ACTIVE;
import static dev.slice.server.ServerStatus.DELETED;
import static dev.slice.server.ServerStatus.DELETING;
import static dev.slice.server.ServerStatus.FAILED;
import static dev.slice.server.ServerStatus.PROVISIONING;
import static dev.slice.server.ServerStatus.REINSTALLING;
import static dev.slice.server.ServerStatus.RESCUE;
import static dev.slice.server.ServerStatus.RESIZING;
import static dev.slice.server.ServerStatus.SUSPENDED;

import dev.slice.error.ConflictException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed server status changes. Anything not listed here is refused. */
public final class ServerTransitions {
    private static final Map<ServerStatus, Set<ServerStatus>> ALLOWED = new EnumMap<>(ServerStatus.class);

    static {
        allow(PROVISIONING, ACTIVE, FAILED, DELETING);
        allow(ACTIVE, SUSPENDED, REINSTALLING, RESIZING, DELETING, RESCUE);
        // Not to suspended: the provider's suspension powers off and its lifting starts "an active server", while the
        // guest would still boot its rescue system; the provider suspends it after it has left rescue (or deletes it).
        allow(RESCUE, ACTIVE, DELETING);
        allow(SUSPENDED, ACTIVE, DELETING);
        allow(REINSTALLING, ACTIVE, FAILED);
        allow(RESIZING, ACTIVE, FAILED);
        allow(DELETING, DELETED, FAILED);
        allow(FAILED, REINSTALLING, DELETING);
        allow(DELETED);
    }

    private ServerTransitions() {}

    private static void allow(ServerStatus from, ServerStatus... to) {
        ALLOWED.put(from, to.length == 0 ? EnumSet.noneOf(ServerStatus.class) : EnumSet.of(to[0], to));
    }

    public static boolean allowed(ServerStatus from, ServerStatus to) {
        return ALLOWED.get(from).contains(to);
    }

    public static Set<ServerStatus> from(ServerStatus status) {
        return Set.copyOf(ALLOWED.get(status));
    }

    /** Throws a conflict that says what is allowed instead. */
    public static void require(ServerStatus from, ServerStatus to) {
        if (!allowed(from, to)) {
            throw new ConflictException("a server that is " + from.id() + " cannot become " + to.id()
                    + (ALLOWED.get(from).isEmpty() ? "" : " (it can become: " + ALLOWED.get(from).stream().map(ServerStatus::id).toList() + ")"));
        }
    }
}
