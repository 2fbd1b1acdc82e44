package dev.slice.placement;

import dev.slice.error.ValidationException;

/** No node can take the server now (or ever, for a plan larger than any node); reported on the order's field {@code planId}. */
public class NoCapacityException extends ValidationException {
    public NoCapacityException(String message) {
        super("planId", message);
    }
}
