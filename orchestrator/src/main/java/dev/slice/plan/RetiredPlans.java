package dev.slice.plan;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.error.ConflictException;
import dev.slice.error.ForbiddenException;
import dev.slice.error.ValidationException;
import dev.slice.security.AccessRules;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The way back from {@link PlanService#retire}: whoever may manage a plan may offer it again, on the terms it had.
 * A reseller's plan must still fit the reseller's grant, which may have shrunk since the plan was retired.
 */
@Service
public class RetiredPlans {

    private final JdbcClient jdbc;
    private final PlanService plans;
    private final AuditLog audit;

    public RetiredPlans(JdbcClient jdbc, PlanService plans, AuditLog audit) {
        this.jdbc = jdbc;
        this.plans = plans;
        this.audit = audit;
    }

    @Transactional
    public Plan reactivate(Actor actor, long planId) {
        Plan plan = plans.get(actor, planId);
        if (!AccessRules.canManagePlan(actor, plan.ownerId())) throw new ForbiddenException("you cannot reactivate this plan");
        if (plan.active()) throw new ConflictException("plan " + plan.name() + " is active already");
        boolean reseller = jdbc.sql("select role = 'reseller' from account where id = ?").param(plan.ownerId()).query(Boolean.class).single();
        if (reseller) {
            CapacityGrant grant = plans.findGrant(plan.ownerId()).orElseThrow(() -> ValidationException.ofRequest(
                    "the operator has not granted this reseller any capacity: the plan cannot be offered again"));
            ValidationException.FieldError violation = grant.violation(new PlanRequest(plan.name(), plan.backend(), plan.vcpus(),
                    plan.memoryMiB(), plan.diskMiB(), plan.bandwidthMbit(), plan.monthlyPriceCents(), plan.trafficAllowanceGb(),
                    plan.overagePerGbCents()));
            if (violation != null) {
                throw ValidationException.ofRequest("the plan no longer fits the grant (" + violation.message()
                        + "): edit a copy within the grant instead");
            }
        }
        // Compare-and-set on the status: two managers reactivating at once write one audit entry.
        int changed = jdbc.sql("update plan set status = 'active' where id = ? and status = 'retired'").param(planId).update();
        if (changed == 0) throw new ConflictException("plan " + plan.name() + " is active already");
        audit.record(actor, "plan.reactivate", "plan", planId, plan.name());
        return plans.find(planId).orElseThrow();
    }

    /** Which plans a manager's list shows. */
    public enum Shown {
        ACTIVE, RETIRED, ALL;

        public List<Plan> of(List<Plan> plans) {
            return plans.stream().filter(p -> this == ALL || p.active() == (this == ACTIVE)).toList();
        }
    }
}
