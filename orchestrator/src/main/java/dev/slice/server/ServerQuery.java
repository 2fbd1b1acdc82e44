package dev.slice.server;

import dev.slice.driver.BackendKind;
import dev.slice.error.ValidationException;
import dev.slice.search.SearchText;
import dev.slice.search.Sorting;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which servers of those the caller may see a list shows, and in which order. Narrows only: who may see what stays
 * {@link ServerService}'s one rule.
 *
 * @param text    matched against hostname, address and owner's user name (any of them)
 * @param status  only servers with this status, or null for all (but deleted ones, which lists never show)
 * @param backend only servers of this backend, or null for all
 * @param ownerId only servers of this account, or null for all
 */
public record ServerQuery(Optional<SearchText> text, ServerStatus status, BackendKind backend, Long ownerId, Sorting<Sort> sort) {
    public static final Sorting<Sort> DEFAULT_SORT = new Sorting<>(Sort.CREATED, false);
    public static final ServerQuery ALL = new ServerQuery(Optional.empty(), null, null, null, DEFAULT_SORT);

    /** The columns a server list can be sorted by; each with its SQL column. */
    public enum Sort {
        HOSTNAME("s.hostname"), ADDRESS("s.ipv4"), OWNER("o.username"), STATUS("s.status"), BACKEND("s.backend"),
        PLAN("p.name"), NODE("n.name"), CREATED("s.id");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    public ServerQuery {
        if (sort == null) sort = DEFAULT_SORT;
    }

    public ServerQuery withOwner(Long owner) {
        return new ServerQuery(text, status, backend, owner, sort);
    }

    /** From the API's query parameters; each bad value is a 400 naming its parameter. */
    public static ServerQuery parse(String q, String status, String backend, String owner, String sort) {
        return new ServerQuery(SearchText.parse("q", q), parseStatus(status), parseBackend(backend), parseOwner(owner),
                Sorting.parse("sort", sort, Sort.class, DEFAULT_SORT));
    }

    private static ServerStatus parseStatus(String raw) {
        if (raw == null || raw.isBlank()) return null;
        for (ServerStatus status : ServerStatus.values()) {
            if (status != ServerStatus.DELETED && status.id().equals(raw)) return status;
        }
        throw new ValidationException("status", "one of " + Arrays.stream(ServerStatus.values()).filter(s -> s != ServerStatus.DELETED)
                .map(ServerStatus::id).collect(Collectors.joining(", ")));
    }

    private static BackendKind parseBackend(String raw) {
        if (raw == null || raw.isBlank()) return null;
        for (BackendKind kind : BackendKind.values()) {
            if (kind.id().equals(raw)) return kind;
        }
        throw new ValidationException("backend", "one of " + Arrays.stream(BackendKind.values()).map(BackendKind::id)
                .collect(Collectors.joining(", ")));
    }

    private static Long parseOwner(String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            long id = Long.parseLong(raw);
            if (id >= 1) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ValidationException("owner", "an account id (a whole number from 1)");
    }
}
