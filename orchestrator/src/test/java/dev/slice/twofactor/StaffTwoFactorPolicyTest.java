package dev.slice.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.plan.PlanService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's setting that makes two-factor sign-in mandatory for operators and resellers: set through the API by an
 * operator only, audited; while on, a staff session without it may only enrol (403 saying so), customers and API tokens
 * are untouched, and enrolling lifts the hold.
 */
@SliceSpringTest
@AutoConfigureMockMvc
@Timeout(60)
class StaffTwoFactorPolicyTest {
    @Autowired MockMvc mvc;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired TwoFactorPolicy policy;
    @Autowired AuditLog audit;
    @Autowired MutableClock clock;

    /** The context is shared with other test classes, whose operator has no two-factor sign-in. */
    @AfterEach
    void off() {
        policy.setRequiredForStaff(Tenants.operator(accounts), false);
    }

    @Test
    void whileOnAStaffSessionWithoutTwoFactorMayOnlyEnrolAndTokensAndCustomersAreUntouched() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Actor reseller = Tenants.reseller(accounts, plans, "tfp-res");
        Actor customer = Tenants.customer(accounts, reseller, "tfp-cust");
        String resellerToken = tokens.create(reseller, "automation").token();

        mvc.perform(put("/api/installation/two-factor").with(user("tfp-res")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"requiredForStaff\":true}")).andExpect(status().isForbidden());
        mvc.perform(put("/api/installation/two-factor").with(user(operator.username())).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.fieldErrors[0].field").value("requiredForStaff"));
        assertThat(policy.requiredForStaff()).isFalse();
        mvc.perform(get("/api/plans").with(user("tfp-res"))).andExpect(status().isOk());

        // On, through the API with a token (a session of this operator would be held at once): audited.
        String operatorToken = tokens.create(operator, "policy").token();
        mvc.perform(put("/api/installation/two-factor").header("Authorization", "Bearer " + operatorToken)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"requiredForStaff\":true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.requiredForStaff").value(true));
        assertThat(audit.page(operator, 0, 5)).extracting(AuditEntry::action).contains("installation.two-factor-required");

        // The reseller's session: 403 naming enrolment on everything but itself and enrolment; its token works on.
        mvc.perform(get("/api/plans").with(user("tfp-res"))).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(Matchers.containsString("two-factor enrolment is required")));
        mvc.perform(get("/api/me").with(user("tfp-res"))).andExpect(status().isOk());
        mvc.perform(get("/api/plans").header("Authorization", "Bearer " + resellerToken)).andExpect(status().isOk());
        mvc.perform(get("/api/plans").with(user(operator.username()))).andExpect(status().isForbidden());
        mvc.perform(get("/api/servers").with(user(customer.username()))).andExpect(status().isOk());

        // Enrolling lifts the hold for that account only.
        String started = mvc.perform(post("/api/me/two-factor").with(user("tfp-res")).with(csrf()))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        String secret = JsonMapper.builder().build().readTree(started).get("secret").asString();
        mvc.perform(post("/api/me/two-factor/confirm").with(user("tfp-res")).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"code\":\"" + Rfc6238.atStep(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30)) + "\"}"))
                .andExpect(status().isOk());
        mvc.perform(get("/api/plans").with(user("tfp-res"))).andExpect(status().isOk());
        mvc.perform(get("/api/plans").with(user(operator.username()))).andExpect(status().isForbidden());

        // Off again (the operator's hold allows no other call through its session: a token does it).
        mvc.perform(put("/api/installation/two-factor").header("Authorization", "Bearer " + operatorToken)
                .contentType(MediaType.APPLICATION_JSON).content("{\"requiredForStaff\":false}")).andExpect(status().isOk());
        mvc.perform(get("/api/plans").with(user(operator.username()))).andExpect(status().isOk());
        mvc.perform(get("/api/installation/two-factor").with(user(customer.username())))
                .andExpect(status().isOk()).andExpect(jsonPath("$.requiredForStaff").value(false));
    }
}
