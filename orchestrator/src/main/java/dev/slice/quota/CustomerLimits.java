package dev.slice.quota;

import dev.slice.account.Account;
import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.Role;
import dev.slice.audit.AuditLog;
import dev.slice.error.ValidationException;
import dev.slice.plan.PlanService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The limits a customer's reseller (or the operator, for any customer) sets on one customer account: at most so many
 * servers, vCPUs, memory, disk and IPv4 addresses in its live servers. Who may see them is who may see the account; who
 * may set them is who manages it ({@link dev.slice.security.AccessRules#canManageAccount}); a reseller sets none above its
 * own grant's totals. Orders hold to them in {@link Quotas}.
 */
@Service
public class CustomerLimits {
    private final QuotaRepository repository;
    private final AccountService accounts;
    private final AccountManagement management;
    private final AuditLog audit;
    private final PlanService plans;

    CustomerLimits(QuotaRepository repository, AccountService accounts, AccountManagement management, AuditLog audit,
                   PlanService plans) {
        this.repository = repository;
        this.accounts = accounts;
        this.management = management;
        this.audit = audit;
        this.plans = plans;
    }

    /** The account's limits ({@link Quota#UNLIMITED} if none); 404 for an account the caller does not see. */
    public Quota of(Actor actor, long accountId) {
        accounts.get(actor, accountId);
        return repository.limitsOf(accountId).orElse(Quota.UNLIMITED);
    }

    /** Replaces the customer's limits (null: unlimited); 404 unseen, 403 not managed by the caller, 400 not a customer. */
    @Transactional
    public Quota set(Actor actor, long accountId, Quota limits) {
        Account account = management.managedBy(actor, accountId, "set the limits of");
        if (account.role() != Role.CUSTOMER) throw ValidationException.ofRequest("limits are set on customer accounts only");
        limits.validate();
        // A reseller's customer can never hold more than the reseller may sell: a larger limit would only mislead.
        if (actor.isReseller()) plans.findGrant(actor.accountId()).ifPresent(grant -> limits.requireWithin(grant.totals(), "your capacity grant"));
        repository.saveLimits(accountId, limits);
        audit.record(actor, "account.limits", "account", accountId, account.username() + ": " + limits);
        return of(actor, accountId);
    }
}
