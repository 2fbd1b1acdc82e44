package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.account.Role;
import org.junit.jupiter.api.Test;

/**
 * The tenancy: operator 1; resellers 10 and 20; customers 11, 12 of reseller 10, 21 of reseller 20, and 2 of
 * the operator directly.
 */
class AccessRulesTest {
    private static final Actor OPERATOR = new Actor(1, "op", Role.OPERATOR, null);
    private static final Actor RESELLER_A = new Actor(10, "ra", Role.RESELLER, 1L);
    private static final Actor RESELLER_B = new Actor(20, "rb", Role.RESELLER, 1L);
    private static final Actor ALICE = new Actor(11, "alice", Role.CUSTOMER, 10L);
    private static final Actor BOB = new Actor(12, "bob", Role.CUSTOMER, 10L);
    private static final Actor CAROL = new Actor(21, "carol", Role.CUSTOMER, 20L);
    private static final Actor DIRECT = new Actor(2, "direct", Role.CUSTOMER, 1L);
    private static final Actor[] EVERYONE = {OPERATOR, RESELLER_A, RESELLER_B, ALICE, BOB, CAROL, DIRECT};

    @Test
    void anAccountSignsInOnlyWhileItAndTheAccountItBelongsToAreEnabled() {
        assertThat(AccessRules.canSignIn(true, null)).as("the operator").isTrue();
        assertThat(AccessRules.canSignIn(false, null)).isFalse();
        assertThat(AccessRules.canSignIn(true, true)).isTrue();
        assertThat(AccessRules.canSignIn(true, false)).as("a disabled reseller's customer").isFalse();
        assertThat(AccessRules.canSignIn(false, true)).as("disabled on its own").isFalse();
        assertThat(AccessRules.canSignIn(false, false)).isFalse();
    }

    @Test
    void aServerIsSeenByItsOwnerItsOwnersResellerAndOperatorsOnly() {
        for (Actor owner : new Actor[] {ALICE, BOB, CAROL, DIRECT}) {
            for (Actor caller : EVERYONE) {
                boolean expected = caller == OPERATOR || caller == owner
                        || caller.isReseller() && owner.parentId() == caller.accountId();
                assertThat(AccessRules.canSeeServer(caller, owner.accountId(), owner.parentId()))
                        .as(caller.username() + " sees " + owner.username() + "'s server").isEqualTo(expected);
                assertThat(AccessRules.canActOnServer(caller, owner.accountId(), owner.parentId()))
                        .as(caller.username() + " acts on " + owner.username() + "'s server").isEqualTo(expected);
            }
        }
    }

    @Test
    void accountsAreSeenByThemselvesTheirResellerAndOperators() {
        for (Actor account : EVERYONE) {
            for (Actor caller : EVERYONE) {
                boolean expected = caller == OPERATOR || caller == account
                        || caller.isReseller() && account.parentId() != null && account.parentId() == caller.accountId();
                assertThat(AccessRules.canSeeAccount(caller, account.accountId(), account.parentId()))
                        .as(caller.username() + " sees " + account.username()).isEqualTo(expected);
            }
        }
    }

    @Test
    void customersManageNoAccountsResellersOnlyTheirCustomers() {
        assertThat(AccessRules.canManageAccount(ALICE, ALICE.accountId(), ALICE.parentId())).isFalse();
        assertThat(AccessRules.canManageAccount(RESELLER_A, ALICE.accountId(), ALICE.parentId())).isTrue();
        assertThat(AccessRules.canManageAccount(RESELLER_A, CAROL.accountId(), CAROL.parentId())).isFalse();
        assertThat(AccessRules.canManageAccount(RESELLER_A, RESELLER_A.accountId(), RESELLER_A.parentId())).isFalse();
        assertThat(AccessRules.canManageAccount(OPERATOR, CAROL.accountId(), CAROL.parentId())).isTrue();
    }

    @Test
    void accountsAreManagedByOperatorsAndByTheirOwnResellerOnly() {
        for (Actor account : EVERYONE) {
            for (Actor caller : EVERYONE) {
                boolean manages = caller == OPERATOR
                        || caller.isReseller() && account.parentId() != null && account.parentId() == caller.accountId();
                assertThat(AccessRules.canManageAccount(caller, account.accountId(), account.parentId()))
                        .as(caller.username() + " manages " + account.username()).isEqualTo(manages);
                assertThat(AccessRules.canEditAccount(caller, account.accountId(), account.parentId()))
                        .as(caller.username() + " edits " + account.username()).isEqualTo(manages || caller == account);
            }
        }
    }

    @Test
    void operatorsSignInAsResellersAndCustomersResellersAsTheirOwnCustomersNobodyAsThemselves() {
        for (Actor account : EVERYONE) {
            for (Actor caller : EVERYONE) {
                boolean expected = caller != account && account != OPERATOR && (caller == OPERATOR
                        || caller.isReseller() && account.isCustomer() && account.parentId() == caller.accountId());
                assertThat(AccessRules.canImpersonate(caller, account.accountId(), account.role(), account.parentId()))
                        .as(caller.username() + " signs in as " + account.username()).isEqualTo(expected);
            }
        }
        // The cases that matter most, spelt out.
        assertThat(AccessRules.canImpersonate(RESELLER_A, CAROL.accountId(), Role.CUSTOMER, CAROL.parentId())).isFalse();
        assertThat(AccessRules.canImpersonate(RESELLER_A, RESELLER_B.accountId(), Role.RESELLER, RESELLER_B.parentId())).isFalse();
        assertThat(AccessRules.canImpersonate(ALICE, BOB.accountId(), Role.CUSTOMER, BOB.parentId())).isFalse();
        assertThat(AccessRules.canImpersonate(RESELLER_A, OPERATOR.accountId(), Role.OPERATOR, null)).isFalse();
    }

    @Test
    void whoMayCreateWhichAccounts() {
        assertThat(AccessRules.canCreateAccount(OPERATOR, Role.RESELLER, 1)).isTrue();
        assertThat(AccessRules.canCreateAccount(OPERATOR, Role.CUSTOMER, 10)).isTrue();
        assertThat(AccessRules.canCreateAccount(OPERATOR, Role.CUSTOMER, 1)).isTrue();
        assertThat(AccessRules.canCreateAccount(OPERATOR, Role.OPERATOR, 1)).isFalse();
        assertThat(AccessRules.canCreateAccount(RESELLER_A, Role.CUSTOMER, 10)).isTrue();
        assertThat(AccessRules.canCreateAccount(RESELLER_A, Role.CUSTOMER, 20)).isFalse();
        assertThat(AccessRules.canCreateAccount(RESELLER_A, Role.RESELLER, 10)).isFalse();
        for (Role role : Role.values()) assertThat(AccessRules.canCreateAccount(ALICE, role, 11)).isFalse();
    }

    @Test
    void plansAreManagedByTheirOwnerAndOperatorsAndOrderedByTheOwnersCustomers() {
        assertThat(AccessRules.canManagePlan(RESELLER_A, 10)).isTrue();
        assertThat(AccessRules.canManagePlan(RESELLER_B, 10)).isFalse();
        assertThat(AccessRules.canManagePlan(OPERATOR, 10)).isTrue();
        assertThat(AccessRules.canManagePlan(ALICE, 10)).isFalse();

        assertThat(AccessRules.canSeePlan(ALICE, 10, true)).isTrue();
        assertThat(AccessRules.canSeePlan(ALICE, 10, false)).isFalse();
        assertThat(AccessRules.canSeePlan(ALICE, 20, true)).isFalse();
        assertThat(AccessRules.canSeePlan(RESELLER_B, 10, true)).isFalse();

        assertThat(AccessRules.canOrder(ALICE, 10, ALICE.accountId(), ALICE.parentId())).isTrue();
        assertThat(AccessRules.canOrder(ALICE, 20, ALICE.accountId(), ALICE.parentId())).isFalse();
        assertThat(AccessRules.canOrder(ALICE, 10, BOB.accountId(), BOB.parentId())).isFalse();
        assertThat(AccessRules.canOrder(RESELLER_A, 10, BOB.accountId(), BOB.parentId())).isTrue();
        assertThat(AccessRules.canOrder(RESELLER_A, 20, CAROL.accountId(), CAROL.parentId())).isFalse();
        assertThat(AccessRules.canOrder(DIRECT, 1, DIRECT.accountId(), DIRECT.parentId())).isTrue();
    }

    @Test
    void onlyOperatorsOperate() {
        for (Actor caller : EVERYONE) assertThat(AccessRules.canOperate(caller)).isEqualTo(caller == OPERATOR);
    }
}
