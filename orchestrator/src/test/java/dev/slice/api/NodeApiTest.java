package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Adding nodes for agents over HTTP: 201 with the credential once, 400 naming {@code name}, 409, 403; the agent's state. */
@SliceSpringTest
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodeApiTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired ApiTokenService tokens;
    @Autowired JdbcClient jdbc;

    @Test
    void anOperatorAddsANodeAndGetsItsCredentialOnce() {
        ApiHttp api = new ApiHttp(port);
        Actor operator = Tenants.operator(accounts);
        String op = tokens.create(operator, "nodes").token();
        String customer = tokens.create(Tenants.customer(accounts, operator, "nodeapi"), "nodes").token();

        var added = api.json(op, "POST", "/api/nodes", "{\"name\": \"n-api\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonNode body = ApiHttp.body(added);
        String credential = body.path("credential").asString();
        assertThat(credential).startsWith("slnode_");
        long id = body.path("node").path("node").path("id").asLong();
        assertThat(body.path("node").path("agent").path("state").asString()).isEqualTo("AWAITING");

        var read = api.json(op, "GET", "/api/nodes/" + id, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).as("the credential is never shown again").doesNotContain(credential)
                .doesNotContain(credential.substring("slnode_".length()));
        var local = ApiHttp.body(api.json(op, "GET", "/api/nodes", null)).get(0);
        assertThat(local.path("agent").path("state").asString()).isEqualTo("ONLINE");
        assertThat(local.path("agent").path("lastSeen").isNull()).isFalse();
        // Each backend with the capacity its probe reported (the test driver's) and what its servers hold.
        JsonNode fake = java.util.stream.StreamSupport.stream(local.path("backends").spliterator(), false)
                .filter(b -> b.path("available").asBoolean()).findFirst().orElseThrow();
        assertThat(fake.path("capacity").path("memoryMiB").asLong()).isPositive();
        assertThat(fake.path("capacity").path("cpus").asInt()).isPositive();
        assertThat(fake.path("held").path("servers").isInt()).as(fake.toString()).isTrue();

        var rotated = api.json(op, "POST", "/api/nodes/" + id + "/credential", null);
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(ApiHttp.body(rotated).path("credential").asString()).startsWith("slnode_").isNotEqualTo(credential);

        long nodes = jdbc.sql("select count(*) from node").query(Long.class).single();
        for (String bad : new String[] {"{\"name\": \"Bad Name\"}", "{\"name\": \"\"}", "{}", "{\"name\": \"-x\"}",
                "{\"name\": \"" + "a".repeat(64) + "\"}"}) {
            var refused = api.json(op, "POST", "/api/nodes", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(ApiHttp.isApiError(refused)).isTrue();
            assertThat(ApiHttp.fields(refused)).as(bad).containsExactly("name");
        }
        assertThat(api.json(op, "POST", "/api/nodes", "{\"name\": \"n-api\"}").statusCode()).isEqualTo(409);
        assertThat(api.json(customer, "POST", "/api/nodes", "{\"name\": \"n-cust\"}").statusCode()).isEqualTo(403);
        assertThat(api.json(customer, "POST", "/api/nodes/" + id + "/credential", null).statusCode()).isEqualTo(403);
        assertThat(api.json(op, "POST", "/api/nodes/999999/credential", null).statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from node").query(Long.class).single()).isEqualTo(nodes);
    }
}
