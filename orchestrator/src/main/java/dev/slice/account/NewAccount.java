package dev.slice.account;

/**
 * A request to create an account.
 *
 * @param parentId the reseller a new customer belongs to (operators only; resellers always create their
 *                 own customers, null means the caller)
 */
public record NewAccount(Role role, String username, String displayName, String email, String password, Long parentId) {}
