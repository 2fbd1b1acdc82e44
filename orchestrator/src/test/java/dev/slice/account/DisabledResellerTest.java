package dev.slice.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.event.EventListener;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

/** A disabled reseller's customers cannot sign in, by session or token, until it is enabled again. */
@SliceSpringTest
@AutoConfigureMockMvc
@Import(DisabledResellerTest.Revocations.class)
@Timeout(120)
class DisabledResellerTest {
    @Autowired MockMvc mvc;
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired PlanService plans;
    @Autowired AuditLog audit;
    @Autowired Revocations revocations;

    @TestConfiguration
    static class Revocations {
        final List<AccountAccessRevoked> seen = new ArrayList<>();

        @EventListener
        synchronized void revoked(AccountAccessRevoked event) {
            seen.add(event);
        }
    }

    @Test
    void disablingAResellerStopsItsCustomersAndEnablingItBringsBackThoseNotDisabledOnTheirOwn() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Actor seller = Tenants.reseller(accounts, plans, "dis-res");
        Actor quinn = Tenants.customer(accounts, seller, "quinn");
        Actor rosa = Tenants.customer(accounts, seller, "rosa");
        Actor elsewhere = Tenants.customer(accounts, Tenants.reseller(accounts, plans, "dis-other"), "sven");
        String quinnToken = tokens.create(quinn, "script").token();
        accounts.setEnabled(seller, rosa.accountId(), false); // disabled on her own, by her reseller
        mvc.perform(get("/api/me").with(user("quinn"))).andExpect(status().isOk());
        mvc.perform(get("/api/me").header("Authorization", "Bearer " + quinnToken)).andExpect(status().isOk());

        revocations.seen.clear();
        accounts.setEnabled(operator, seller.accountId(), false);
        // The sign-in path (the panel's form login reads findForLogin), a signed-in session, an API token: all refused.
        assertThat(accounts.findForLogin("quinn").orElseThrow().enabled()).isFalse();
        assertThat(accounts.actorOf(quinn.accountId())).isEmpty();
        mvc.perform(get("/api/me").with(user("quinn"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/me").header("Authorization", "Bearer " + quinnToken)).andExpect(status().isUnauthorized());
        assertThat(tokens.authenticate(quinnToken)).isEmpty();
        // Their own flags are untouched; another reseller's customer is not concerned.
        assertThat(accounts.get(operator, quinn.accountId()).enabled()).isTrue();
        // What the accounts view marks: quinn is disabled with her reseller, rosa (disabled herself) is not "with" it.
        assertThat(accounts.get(operator, quinn.accountId()).disabledWithItsSeller()).isTrue();
        assertThat(accounts.get(operator, rosa.accountId()).disabledWithItsSeller()).isFalse();
        assertThat(accounts.findForLogin("sven").orElseThrow().enabled()).isTrue();
        // Open consoles and sessions of the customers end as for a disabled account.
        assertThat(revocations.seen).extracting(AccountAccessRevoked::username).containsExactly("dis-res", "quinn");
        assertThat(audit.page(operator, 0, 20)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("account.disable");
            assertThat(entry.detail()).isEqualTo("its 1 enabled customers cannot sign in while it is disabled");
        });

        accounts.setEnabled(operator, seller.accountId(), true);
        assertThat(accounts.findForLogin("quinn").orElseThrow().enabled()).isTrue();
        assertThat(accounts.get(operator, quinn.accountId()).disabledWithItsSeller()).isFalse();
        mvc.perform(get("/api/me").header("Authorization", "Bearer " + quinnToken)).andExpect(status().isOk());
        mvc.perform(get("/api/me").with(user("quinn"))).andExpect(status().isOk());
        assertThat(accounts.findForLogin("rosa").orElseThrow().enabled()).isFalse();
        mvc.perform(get("/api/me").with(user("rosa"))).andExpect(status().isUnauthorized());
        assertThat(elsewhere.username()).isEqualTo("sven");
    }
}
