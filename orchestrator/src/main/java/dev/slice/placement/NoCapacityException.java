package dev.slice.placement;

import dev.slice.error.ValidationException;

/**
 * No node can take the server now (or ever, for a plan larger than any node); reported on the order's field {@code planId}.
 * {@link #aboutNodes()}: the message names nodes and their figures, the seller's business: a customer is told only that
 * the plan is not available (the order path swaps it).
 */
public class NoCapacityException extends ValidationException {
    private final boolean aboutNodes;

    public NoCapacityException(String message) {
        this(message, false);
    }

    NoCapacityException(String message, boolean aboutNodes) {
        super("planId", message);
        this.aboutNodes = aboutNodes;
    }

    static NoCapacityException aboutNodes(String message) {
        return new NoCapacityException(message, true);
    }

    public boolean aboutNodes() {
        return aboutNodes;
    }
}
