package dev.slice.testing;

import dev.slice.account.Account;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.plan.CapacityGrant;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanRequest;
import dev.slice.plan.PlanService;
import java.util.Set;

/** Builds tenants for tests through the real services (so the rules apply to fixtures too). */
public final class Tenants {
    public static final String PASSWORD = "Correct-Horse-42";

    private Tenants() {}

    public static Actor operator(AccountService accounts) {
        return accounts.findForLogin("admin").orElseThrow().asActor();
    }

    public static Actor reseller(AccountService accounts, PlanService plans, String name) {
        Actor operator = operator(accounts);
        Account reseller = accounts.create(operator, new NewAccount(Role.RESELLER, name, null, null, PASSWORD, null));
        plans.grant(operator, new CapacityGrant(reseller.id(), 4, 8192, 102_400, 100, Set.of("oci")));
        return reseller.asActor();
    }

    public static Actor customer(AccountService accounts, Actor seller, String name) {
        return accounts.create(seller, new NewAccount(Role.CUSTOMER, name, null, null, PASSWORD, null)).asActor();
    }

    public static Plan plan(PlanService plans, Actor seller, String name, int vcpus, long memoryMiB, long diskMiB) {
        return plans.create(seller, new PlanRequest(name, "oci", vcpus, memoryMiB, diskMiB, 100, 500));
    }
}
