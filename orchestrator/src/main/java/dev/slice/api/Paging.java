package dev.slice.api;

import dev.slice.error.ValidationException;

/** The bounds of the {@code offset} and {@code limit} query parameters of every list of the API. */
public final class Paging {
    public static final int MAX_LIMIT = 1000;

    private Paging() {}

    /** Throws on the parameter that is out of range; lists never guess what a negative offset meant. */
    public static void check(int offset, int limit) {
        if (offset < 0) throw new ValidationException("offset", "at least 0");
        if (limit < 0 || limit > MAX_LIMIT) throw new ValidationException("limit", "between 0 and " + MAX_LIMIT);
    }
}
