package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.plan.PlanService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** What a panel session does through the API: "sign in as" and back, and the hold while a one-time password is in use. */
@SliceSpringTest
@AutoConfigureMockMvc
class SessionAccountApiTest {
    @Autowired MockMvc mvc;
    @Autowired AccountService accounts;
    @Autowired AccountManagement management;
    @Autowired PlanService plans;
    @Autowired AuditLog audit;

    @Test
    void aResellerSessionSignsInAsItsCustomerAndBackButNotAsAnotherResellersCustomer() throws Exception {
        Actor ra = Tenants.reseller(accounts, plans, "sess-ra");
        Actor rb = Tenants.reseller(accounts, plans, "sess-rb");
        Actor mia = Tenants.customer(accounts, ra, "mia");
        Actor ned = Tenants.customer(accounts, rb, "ned");
        MockHttpSession session = new MockHttpSession();

        mvc.perform(post("/api/accounts/" + ned.accountId() + "/sign-in-as").with(user("sess-ra").roles("RESELLER")).with(csrf())
                .session(session)).andExpect(status().isNotFound());
        mvc.perform(post("/api/accounts/" + mia.accountId() + "/sign-in-as").with(user("sess-ra").roles("RESELLER")).with(csrf())
                .session(session)).andExpect(status().isOk()).andExpect(jsonPath("$.username").value("mia"));
        // The session is now mia's, for every API call; mia cannot go further, e.g. back into a reseller.
        mvc.perform(get("/api/me").session(session)).andExpect(status().isOk()).andExpect(jsonPath("$.username").value("mia"));
        mvc.perform(get("/api/accounts/" + ra.accountId()).session(session)).andExpect(status().isNotFound());
        // What is done meanwhile is in the audit log as the reseller acting as mia.
        mvc.perform(post("/api/tokens").with(csrf()).session(session).contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"support\"}"))
                .andExpect(status().isCreated());
        assertThat(audit.page(Tenants.operator(accounts), 0, 5)).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("token.create");
            assertThat(entry.actorName()).isEqualTo("sess-ra as mia");
            assertThat(entry.actorId()).isEqualTo(mia.accountId());
        });

        // While her reseller is disabled, the session acts as nobody.
        accounts.setEnabled(Tenants.operator(accounts), ra.accountId(), false);
        mvc.perform(get("/api/me").session(session)).andExpect(status().isUnauthorized());
        accounts.setEnabled(Tenants.operator(accounts), ra.accountId(), true);

        mvc.perform(post("/api/me/sign-in-as/end").with(csrf()).session(session))
                .andExpect(status().isOk()).andExpect(jsonPath("$.username").value("sess-ra"));
        mvc.perform(get("/api/me").session(session)).andExpect(jsonPath("$.username").value("sess-ra"));
        mvc.perform(post("/api/me/sign-in-as/end").with(csrf()).session(session)).andExpect(status().isConflict());
        assertThat(audit.page(Tenants.operator(accounts), 0, 20)).extracting(AuditEntry::detail)
                .contains("sess-ra signed in as mia", "sess-ra is back from mia");
    }

    @Test
    void aSessionWithAOneTimePasswordMayOnlyReadItselfAndChangeIt() throws Exception {
        Actor ra = Tenants.reseller(accounts, plans, "sess-rc");
        Actor olga = Tenants.customer(accounts, ra, "olga");
        String oneTime = management.resetPassword(ra, olga.accountId());
        mvc.perform(get("/api/me").with(user("olga"))).andExpect(status().isOk()).andExpect(jsonPath("$.mustChangePassword").value(true));
        mvc.perform(get("/api/servers").with(user("olga"))).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("one-time password")));
        mvc.perform(post("/api/me/password").with(user("olga")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"currentPassword\":\"" + oneTime + "\",\"newPassword\":\"Fresh-Start-2026\"}"))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/servers").with(user("olga"))).andExpect(status().isOk());
    }
}
