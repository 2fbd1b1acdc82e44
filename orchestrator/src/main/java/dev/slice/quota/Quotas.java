package dev.slice.quota;

import dev.slice.account.Actor;
import dev.slice.error.ValidationException;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place orders and resizes are held to quotas: the plan's reseller's grant (what it may sell in total) and the
 * customer's own limits. Runs inside the caller's transaction and locks first the reseller's account row, then the
 * customer's limits row (always in this order, so two orders never wait for each other crosswise); the counts are
 * read after the locks, so N concurrent orders count each other and never pass a quota together.
 *
 * <p>A refusal is a 400 on planId. A customer never reads its reseller's grant (that is its seller's business):
 * it is told {@link #NOT_AVAILABLE}; its own limits it does read.
 */
@Service
public class Quotas {
    /** What a customer is told when its seller cannot sell any more. */
    public static final String NOT_AVAILABLE = "this plan is not available right now; contact your provider";

    private final QuotaRepository repository;
    private final PlanService plans;
    private final JdbcClient jdbc;

    Quotas(QuotaRepository repository, PlanService plans, JdbcClient jdbc) {
        this.repository = repository;
        this.plans = plans;
        this.jdbc = jdbc;
    }

    /** A new server of {@code plan} for {@code ownerId}. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requireRoomForOrder(Actor actor, Plan plan, long ownerId) {
        require(actor, plan, ownerId, Usage.newServer(plan.vcpus(), plan.memoryMiB(), plan.diskMiB()), "this plan needs");
    }

    /** A server of {@code ownerId} going from its current sizes to {@code plan}'s; only growth is counted. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requireRoomForResize(Actor actor, Plan plan, long ownerId, int vcpus, long memoryMiB, long diskMiB) {
        Usage more = Usage.resize(vcpus, memoryMiB, diskMiB, plan.vcpus(), plan.memoryMiB(), plan.diskMiB());
        require(actor, plan, ownerId, more, "this resize needs");
    }

    private void require(Actor actor, Plan plan, long ownerId, Usage needed, String neededBy) {
        String sellerRole = jdbc.sql("select role from account where id = ?").param(plan.ownerId()).query(String.class).single();
        if (sellerRole.equals("reseller")) {
            repository.lockAccount(plan.ownerId());
            CapacityGrant grant = plans.findGrant(plan.ownerId()).orElseThrow(() ->
                    grantRefusal(actor, "the reseller of this plan has no capacity granted; the operator grants it"));
            QuotaRule.firstExceeded(grant.totals(), repository.soldBy(plan.ownerId()), needed).ifPresent(over -> {
                throw grantRefusal(actor, "the reseller of this plan has used its capacity grant: " + over.describe("sold", neededBy)
                        + "; the operator can raise it");
            });
        }
        Optional<Quota> limits = repository.lockLimits(ownerId);
        if (limits.isEmpty()) return;
        QuotaRule.firstExceeded(limits.get(), repository.heldBy(ownerId), needed).ifPresent(over -> {
            String whose = actor.accountId() == ownerId ? "your account's limit"
                    : "the limit of " + jdbc.sql("select username from account where id = ?").param(ownerId).query(String.class).single();
            throw new ValidationException("planId", whose + ": " + over.describe("used", neededBy) + "; "
                    + (actor.accountId() == ownerId ? "your provider can raise it" : "raise it in the customer's limits"));
        });
    }

    private static ValidationException grantRefusal(Actor actor, String detail) {
        return new ValidationException("planId", actor.isCustomer() ? NOT_AVAILABLE : detail);
    }
}
