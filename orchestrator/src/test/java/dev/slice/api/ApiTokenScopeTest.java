package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * API tokens for automation over real HTTP: a read-only token reads and is refused anything else (403 naming its
 * scope), an expiring token stops at its expiry (401 saying so), and bad scopes and expiries are a 400 naming the field.
 */
@SliceSpringTest
@Timeout(60)
class ApiTokenScopeTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired MutableClock clock;

    @Test
    void aReadOnlyTokenReadsOnlyAndAnExpiringTokenStopsAtItsExpiry() throws Exception {
        Actor customer = Tenants.customer(accounts, Tenants.operator(accounts), "scoped");
        String full = tokens.create(customer, "admin script").token();
        Instant expiry = clock.instant().plus(Duration.ofDays(1));

        HttpResponse<String> created = call(full, "POST", "/api/tokens",
                "{\"name\":\"monitoring\",\"scope\":\"read-only\",\"expiresAt\":\"" + expiry + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode info = body(created).get("info");
        assertThat(info.get("scope").asString()).isEqualTo("read-only");
        assertThat(Instant.parse(info.get("expiresAt").asString())).isEqualTo(expiry);
        String readOnly = body(created).get("token").asString();

        assertThat(call(readOnly, "GET", "/api/me", null).statusCode()).isEqualTo(200);
        assertThat(call(readOnly, "HEAD", "/api/tokens", null).statusCode()).isEqualTo(200);
        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            HttpResponse<String> refused = call(readOnly, method, method.equals("DELETE") ? "/api/tokens/" + info.get("id") : "/api/tokens",
                    "{\"name\":\"escalate\",\"scope\":\"full\"}");
            assertThat(refused.statusCode()).as(method).isEqualTo(403);
            assertThat(body(refused).get("error").asString()).isEqualTo("insufficient_scope");
            assertThat(body(refused).get("message").asString()).contains("scope is read-only").contains(method);
        }
        JsonNode listed = body(call(full, "GET", "/api/tokens", null));
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("scope").asString()).isEqualTo("full");
        assertThat(listed.get(0).get("expiresAt").isNull()).isTrue();
        assertThat(listed.get(1).get("scope").asString()).isEqualTo("read-only");
        assertThat(listed.get(1).get("lastUsedAt").isNull()).as("used once above").isFalse();

        assertThat(field(call(full, "POST", "/api/tokens", "{\"name\":\"x\",\"scope\":\"admin\"}"))).isEqualTo("scope");
        assertThat(field(call(full, "POST", "/api/tokens", "{\"name\":\"x\",\"expiresAt\":\"tomorrow\"}"))).isEqualTo("expiresAt");
        assertThat(field(call(full, "POST", "/api/tokens",
                "{\"name\":\"x\",\"expiresAt\":\"" + clock.instant().minusSeconds(1) + "\"}"))).isEqualTo("expiresAt");
        HttpResponse<String> tooLong = call(full, "POST", "/api/tokens",
                "{\"name\":\"x\",\"expiresAt\":\"" + clock.instant().plus(ApiTokenService.MAX_LIFETIME).plusSeconds(60) + "\"}");
        assertThat(field(tooLong)).isEqualTo("expiresAt");
        assertThat(body(tooLong).get("fieldErrors").get(0).get("message").asString()).contains("at most 366 days");
        assertThat(call(full, "POST", "/api/tokens", "{\"name\":\"x\",\"expiresAt\":\""
                + clock.instant().plus(ApiTokenService.MAX_LIFETIME) + "\"}").statusCode()).isEqualTo(201);

        clock.advance(Duration.ofDays(1));
        HttpResponse<String> expired = call(readOnly, "GET", "/api/me", null);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(body(expired).get("message").asString()).contains("expired at " + expiry);
        assertThat(call(full, "GET", "/api/me", null).statusCode()).isEqualTo(200);
    }

    private String field(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return body(response).get("fieldErrors").get(0).get("field").asString();
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }
}
