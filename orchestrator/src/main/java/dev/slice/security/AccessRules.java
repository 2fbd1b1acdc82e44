package dev.slice.security;

import dev.slice.account.Actor;
import dev.slice.account.Role;
import java.util.Objects;

/**
 * Who may see and do what: operator > reseller > customer. Pure functions of the caller and the
 * owner of the thing, so they are unit-tested exhaustively; every service calls them for every row it
 * returns or changes (lists also filter in SQL, and still pass each row through these rules).
 */
public final class AccessRules {
    private AccessRules() {}

    /**
     * @param ownerId       the account that owns the thing (a server's customer, a plan's reseller)
     * @param ownerParentId that owner's reseller or operator
     */
    public static boolean canSeeServer(Actor actor, long ownerId, Long ownerParentId) {
        return switch (actor.role()) {
            case OPERATOR -> true;
            case RESELLER -> ownerId == actor.accountId() || Objects.equals(ownerParentId, actor.accountId());
            case CUSTOMER -> ownerId == actor.accountId();
        };
    }

    /**
     * {@link #canSeeServer} as a SQL condition, for lists that filter in the database: on {@code server s} joined to its
     * owner {@code account o}, with the caller's account id bound as {@code :me}.
     */
    public static String serverVisibleSql(Actor actor) {
        return switch (actor.role()) {
            case OPERATOR -> "true";
            case RESELLER -> "(s.owner_id = :me or o.parent_id = :me)";
            case CUSTOMER -> "s.owner_id = :me";
        };
    }

    /** Acting (start, stop, reinstall, delete...) follows seeing: a reseller acts on its customers' servers. */
    public static boolean canActOnServer(Actor actor, long ownerId, Long ownerParentId) {
        return canSeeServer(actor, ownerId, ownerParentId);
    }

    /**
     * Whether an account may sign in (panel, API token, an open session or console): it is enabled, and so is the account
     * it belongs to, so disabling a reseller stops its customers too, and enabling it again lets back exactly those not
     * disabled on their own.
     *
     * @param parentEnabled its reseller's (or the operator's) flag; null for the operator, which belongs to nobody
     */
    public static boolean canSignIn(boolean enabled, Boolean parentEnabled) {
        return enabled && (parentEnabled == null || parentEnabled);
    }

    /** Seeing an account: operators all, resellers themselves and their customers, customers themselves. */
    public static boolean canSeeAccount(Actor actor, long accountId, Long accountParentId) {
        return switch (actor.role()) {
            case OPERATOR -> true;
            case RESELLER -> accountId == actor.accountId() || Objects.equals(accountParentId, actor.accountId());
            case CUSTOMER -> accountId == actor.accountId();
        };
    }

    /** {@link #canSeeAccount} as a SQL condition on {@code account a}, with the caller's account id bound as {@code :me}. */
    public static String accountVisibleSql(Actor actor) {
        return switch (actor.role()) {
            case OPERATOR -> "true";
            case RESELLER -> "(a.id = :me or a.parent_id = :me)";
            case CUSTOMER -> "a.id = :me";
        };
    }

    /**
     * Managing an account (reset its password, disable, delete): operators everyone, resellers their customers. Nobody
     * disables or deletes themselves (the service refuses that separately).
     */
    public static boolean canManageAccount(Actor actor, long accountId, Long accountParentId) {
        if (actor.role() == Role.CUSTOMER) return false;
        if (accountId == actor.accountId()) return actor.role() == Role.OPERATOR;
        return canSeeAccount(actor, accountId, accountParentId);
    }

    /** Editing an account's name and e-mail: the account itself and whoever may manage it. */
    public static boolean canEditAccount(Actor actor, long accountId, Long accountParentId) {
        return accountId == actor.accountId() || canManageAccount(actor, accountId, accountParentId);
    }

    /** "Sign in as" for support: operators as any reseller or customer, resellers as their own customers; never oneself. */
    public static boolean canImpersonate(Actor actor, long accountId, Role accountRole, Long accountParentId) {
        if (accountId == actor.accountId() || accountRole == Role.OPERATOR) return false;
        return actor.isOperator()
                || actor.isReseller() && accountRole == Role.CUSTOMER && Objects.equals(accountParentId, actor.accountId());
    }

    /** Creating an account of {@code role} under {@code parentId}. */
    public static boolean canCreateAccount(Actor actor, Role role, long parentId) {
        return switch (actor.role()) {
            case OPERATOR -> role == Role.RESELLER ? parentId == actor.accountId() : role == Role.CUSTOMER;
            case RESELLER -> role == Role.CUSTOMER && parentId == actor.accountId();
            case CUSTOMER -> false;
        };
    }

    /** Seeing a plan: the owner and operators always; customers only active plans of their reseller. */
    public static boolean canSeePlan(Actor actor, long planOwnerId, boolean active) {
        return switch (actor.role()) {
            case OPERATOR -> true;
            case RESELLER -> planOwnerId == actor.accountId();
            case CUSTOMER -> active && Objects.equals(actor.parentId(), planOwnerId);
        };
    }

    /** Creating, changing or retiring a plan: operators and the owning reseller. */
    public static boolean canManagePlan(Actor actor, long planOwnerId) {
        return switch (actor.role()) {
            case OPERATOR -> true;
            case RESELLER -> planOwnerId == actor.accountId();
            case CUSTOMER -> false;
        };
    }

    /**
     * Ordering a plan for a server owned by {@code serverOwnerId} (a customer of {@code serverOwnerParentId}):
     * the plan must belong to that customer's reseller (or operator), and the caller must be allowed to act
     * for the customer.
     */
    public static boolean canOrder(Actor actor, long planOwnerId, long serverOwnerId, Long serverOwnerParentId) {
        return canActOnServer(actor, serverOwnerId, serverOwnerParentId)
                && (Objects.equals(serverOwnerParentId, planOwnerId) || serverOwnerId == planOwnerId);
    }

    /** An account's balance, ledger and invoices: whoever may see the account. */
    public static boolean canSeeBilling(Actor actor, long accountId, Long accountParentId) {
        return canSeeAccount(actor, accountId, accountParentId);
    }

    /** Recording a payment (credit, refund, reversal) on an account: its provider or the operator, never the account itself. */
    public static boolean canRecordPayment(Actor actor, long accountId, Long accountParentId) {
        return switch (actor.role()) {
            case OPERATOR -> accountId != actor.accountId();
            case RESELLER -> Objects.equals(accountParentId, actor.accountId());
            case CUSTOMER -> false;
        };
    }

    /** Nodes, drivers, the audit log, reconciler findings and capacity grants: operators only. */
    public static boolean canOperate(Actor actor) {
        return actor.role() == Role.OPERATOR;
    }
}
