package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.account.Role;
import org.junit.jupiter.api.Test;

/** Billing's two rules, for each role against its own, its customers' and others' accounts. */
class BillingAccessRulesTest {
    static final Actor OPERATOR = new Actor(1, "op", Role.OPERATOR, null);
    static final Actor RESELLER = new Actor(2, "res", Role.RESELLER, 1L);
    static final Actor CUSTOMER = new Actor(3, "cus", Role.CUSTOMER, 2L);
    static final long OTHER_RESELLER = 4;
    static final long OTHERS_CUSTOMER = 5;

    @Test
    void billingIsSeenByWhoeverSeesTheAccount() {
        assertThat(AccessRules.canSeeBilling(OPERATOR, OTHERS_CUSTOMER, OTHER_RESELLER)).isTrue();
        assertThat(AccessRules.canSeeBilling(RESELLER, 3, 2L)).isTrue();
        assertThat(AccessRules.canSeeBilling(RESELLER, 2, 1L)).isTrue();
        assertThat(AccessRules.canSeeBilling(RESELLER, OTHERS_CUSTOMER, OTHER_RESELLER)).isFalse();
        assertThat(AccessRules.canSeeBilling(CUSTOMER, 3, 2L)).isTrue();
        assertThat(AccessRules.canSeeBilling(CUSTOMER, OTHERS_CUSTOMER, OTHER_RESELLER)).isFalse();
    }

    @Test
    void paymentsAreRecordedByTheProviderNeverByTheAccountItself() {
        assertThat(AccessRules.canRecordPayment(OPERATOR, 2, 1L)).isTrue();
        assertThat(AccessRules.canRecordPayment(OPERATOR, OTHERS_CUSTOMER, OTHER_RESELLER)).isTrue();
        assertThat(AccessRules.canRecordPayment(OPERATOR, 1, null)).isFalse();
        assertThat(AccessRules.canRecordPayment(RESELLER, 3, 2L)).isTrue();
        assertThat(AccessRules.canRecordPayment(RESELLER, 2, 1L)).isFalse();
        assertThat(AccessRules.canRecordPayment(RESELLER, OTHERS_CUSTOMER, OTHER_RESELLER)).isFalse();
        assertThat(AccessRules.canRecordPayment(CUSTOMER, 3, 2L)).isFalse();
    }
}
