package dev.slice.twofactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST side of two-factor sign-in: enrolment answers once with the secret, bad codes are a 400 naming the field, and
 * regenerated recovery codes void the old ones.
 */
@SliceSpringTest
@AutoConfigureMockMvc
@Timeout(60)
class TwoFactorApiTest {
    @Autowired MockMvc mvc;
    @Autowired AccountService accounts;
    @Autowired MutableClock clock;
    @Autowired TwoFactorService twoFactor;

    @Test
    void enrolOverTheApiAndTheSecretIsNeverSentAgain() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Tenants.customer(accounts, operator, "tf-api");
        String started = mvc.perform(post("/api/me/two-factor").with(user("tf-api")).with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.qrCode").value(org.hamcrest.Matchers.startsWith("data:image/png;base64,")))
                .andReturn().getResponse().getContentAsString();
        String secret = JsonMapper.builder().build().readTree(started).get("secret").asString();

        for (String bad : new String[] {"\"12345\"", "\"abcdef\"", "\"1234567\"", "123456", "null"}) {
            mvc.perform(post("/api/me/two-factor/confirm").with(user("tf-api")).with(csrf())
                            .contentType(MediaType.APPLICATION_JSON).content("{\"code\":" + bad + "}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.fieldErrors[0].field").value("code"));
        }
        String code = Rfc6238.atStep(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30));
        String confirmed = mvc.perform(post("/api/me/two-factor/confirm").with(user("tf-api")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + code + "\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.recoveryCodes.length()").value(10))
                .andReturn().getResponse().getContentAsString();
        assertThat(confirmed).doesNotContain(secret);
        String state = mvc.perform(get("/api/me/two-factor").with(user("tf-api")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.enabled").value(true))
                .andExpect(jsonPath("$.recoveryCodesLeft").value(10))
                .andReturn().getResponse().getContentAsString();
        assertThat(state).doesNotContain(secret);
        mvc.perform(post("/api/me/two-factor").with(user("tf-api")).with(csrf())).andExpect(status().isConflict());
        JsonNode me = JsonMapper.builder().build().readTree(mvc.perform(get("/api/me").with(user("tf-api")))
                .andReturn().getResponse().getContentAsString());
        assertThat(me.toString()).doesNotContain(secret);

        mvc.perform(post("/api/me/two-factor/disable").with(user("tf-api")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"12\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.fieldErrors[0].field").value("code"));
        mvc.perform(post("/api/me/two-factor/disable").with(user("tf-api")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"password\":\"" + Tenants.PASSWORD + "\"}"))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/me/two-factor").with(user("tf-api"))).andExpect(jsonPath("$.enabled").value(false));
    }

    @Test
    void regeneratedRecoveryCodesReplaceTheOldOnesAndNeedACurrentCodeOrThePassword() throws Exception {
        Actor operator = Tenants.operator(accounts);
        Tenants.customer(accounts, operator, "tf-regen");
        mvc.perform(post("/api/me/two-factor/recovery-codes").with(user("tf-regen")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"password\":\"" + Tenants.PASSWORD + "\"}"))
                .andExpect(status().isConflict());
        String secret = JsonMapper.builder().build().readTree(mvc.perform(post("/api/me/two-factor").with(user("tf-regen")).with(csrf()))
                .andReturn().getResponse().getContentAsString()).get("secret").asString();
        List<String> old = codes(mvc.perform(post("/api/me/two-factor/confirm").with(user("tf-regen")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"code\":\"" + Rfc6238.atStep(secret, step()) + "\"}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());

        regenerate("{}").andExpect(status().isBadRequest()).andExpect(jsonPath("$.fieldErrors[0].field").value("code"));
        regenerate("{\"code\":\"" + old.get(0) + "\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.fieldErrors[0].field").value("code"))
                .andExpect(jsonPath("$.fieldErrors[0].message").value(org.hamcrest.Matchers.containsString("6-digit")));
        regenerate("{\"password\":\"not-the-password\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.fieldErrors[0].field").value("password"));
        List<String> byPassword = codes(regenerate("{\"password\":\"" + Tenants.PASSWORD + "\"}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(byPassword).hasSize(10).doesNotContainAnyElementsOf(old);
        assertThat(twoFactor.signIn("tf-regen", "192.0.2.31", old.get(1))).as("an old recovery code").isFalse();

        clock.advance(java.time.Duration.ofSeconds(30));
        List<String> byCode = codes(regenerate("{\"code\":\"" + Rfc6238.atStep(secret, step()) + "\"}")
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(byCode).hasSize(10).doesNotContainAnyElementsOf(byPassword);
        assertThat(twoFactor.signIn("tf-regen", "192.0.2.31", byPassword.get(0))).as("a code of the previous set").isFalse();
        assertThat(twoFactor.signIn("tf-regen", "192.0.2.31", byCode.get(0))).as("a code of the newest set").isTrue();
        mvc.perform(get("/api/me/two-factor").with(user("tf-regen"))).andExpect(jsonPath("$.recoveryCodesLeft").value(9));
        String state = mvc.perform(get("/api/me/two-factor").with(user("tf-regen"))).andReturn().getResponse().getContentAsString();
        assertThat(state).doesNotContain(byCode.get(1));
    }

    private org.springframework.test.web.servlet.ResultActions regenerate(String body) throws Exception {
        return mvc.perform(post("/api/me/two-factor/recovery-codes").with(user("tf-regen")).with(csrf())
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private long step() {
        return Math.floorDiv(clock.instant().getEpochSecond(), 30);
    }

    private static List<String> codes(String json) {
        List<String> codes = new java.util.ArrayList<>();
        JsonMapper.builder().build().readTree(json).get("recoveryCodes").forEach(c -> codes.add(c.asString()));
        return codes;
    }
}
