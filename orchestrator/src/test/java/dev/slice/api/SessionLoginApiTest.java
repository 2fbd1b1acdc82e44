package dev.slice.api;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The API also serves the panel's logged-in session: any principal is resolved to the account by its name;
 * changes made with a session need the CSRF token, since a browser sends the session cookie by itself.
 */
@SliceSpringTest
@AutoConfigureMockMvc
class SessionLoginApiTest {
    @Autowired MockMvc mvc;
    @Autowired AccountService accounts;

    @Test
    void aSessionPrincipalActsAsItsAccountAndNeedsCsrfForChanges() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Tenants.customer(accounts, operator, "sessionuser");
        mvc.perform(get("/api/me").with(user("sessionuser")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("sessionuser"))
                .andExpect(jsonPath("$.role").value("CUSTOMER"));
        String body = "{\"name\":\"from-panel\"}";
        mvc.perform(post("/api/tokens").with(user("sessionuser")).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/tokens").with(user("sessionuser")).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.token").isString());
        mvc.perform(get("/api/me").with(user("nobody-such")))
                .andExpect(status().isUnauthorized());
    }
}
