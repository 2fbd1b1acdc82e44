package dev.slice.account;

import java.util.Objects;

/**
 * Who is calling a service. Every service method takes it explicitly, so the REST API, the panel, the
 * console WebSocket and tests all go through the same checks.
 *
 * @param parentId for a customer its reseller (or the operator); for a reseller the operator; null for the operator
 */
public record Actor(long accountId, String username, Role role, Long parentId) {
    public Actor {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
    }

    public boolean isOperator() { return role == Role.OPERATOR; }

    public boolean isReseller() { return role == Role.RESELLER; }

    public boolean isCustomer() { return role == Role.CUSTOMER; }
}
