package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.plan.Plan;
import dev.slice.plan.PlanService;
import dev.slice.testing.ApiHttp;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.TcpRelay;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * The database goes away under the API (a failover, a restart, a cut network), through a relay the test cuts: every
 * call is answered 503 with Retry-After in the API's error shape, whether the token check or a controller met the
 * outage, never a 500; nothing half-done is left; once the database is back the same application answers again
 * without a restart.
 */
@SliceSpringTest
@ContextConfiguration(initializers = {TestDatabaseInitializer.class, DatabaseOutageTest.ThroughRelay.class})
class DatabaseOutageTest {
    static TcpRelay relay;

    /** Points the application's datasource at a relay to the test schema's server, with a short pool timeout. */
    static final class ThroughRelay implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            String url = context.getEnvironment().getRequiredProperty("spring.datasource.url");
            Matcher server = HOST_PORT.matcher(url);
            assertThat(server.find()).as("host and port in %s", url).isTrue();
            relay = TcpRelay.to(server.group(1), Integer.parseInt(server.group(2)));
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("slice-test-relay", Map.of(
                    "spring.datasource.url", server.replaceFirst("//127.0.0.1:" + relay.port() + "/"),
                    "spring.datasource.hikari.connection-timeout", "1500",
                    "spring.datasource.hikari.validation-timeout", "1000")));
        }
    }

    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired JdbcClient jdbc;

    @AfterAll
    static void closeRelay() {
        if (relay != null) relay.close();
    }

    @Test
    void whileTheDatabaseIsAwayEveryCallIs503WithRetryAfterAndAfterwardsTheApiAnswersAgain() throws Exception {
        ApiHttp api = new ApiHttp(port);
        Actor operator = Tenants.operator(accounts);
        Actor customer = Tenants.customer(accounts, operator, "outage" + System.nanoTime() % 100_000);
        Plan plan = Tenants.plan(plans, operator, "outage-plan" + System.nanoTime() % 100_000, 1, 256, 1024);
        String token = tokens.create(customer, "outage").token();
        assertThat(api.json(token, "GET", "/api/servers", null).statusCode()).isEqualTo(200);
        long serversBefore = jdbc.sql("select count(*) from server").query(Long.class).single();

        relay.cut();
        try {
            HttpResponse<String> list = api.json(token, "GET", "/api/servers", null);
            assertUnavailable(list);
            HttpResponse<String> order = api.json(token, "POST", "/api/servers", """
                    {"planId": %d, "hostname": "during-outage", "template": "debian-12", "rootPassword": "Correct-Horse-42"}"""
                    .formatted(plan.id()));
            assertUnavailable(order);
        } finally {
            relay.restore();
        }

        // Back: the pool replaces its broken connections by itself.
        HttpResponse<String> again = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            again = api.json(token, "GET", "/api/servers", null);
            if (again.statusCode() == 200) break;
            assertUnavailable(again);
            Thread.sleep(200);
        }
        assertThat(again.statusCode()).as("the API answers again within 30 s: %s", again.body()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from server").query(Long.class).single()).as("the refused order left nothing")
                .isEqualTo(serversBefore);
    }

    /**
     * The controllers' path (the advice), which the real outage above does not reach with a token (the token check
     * meets it first): the forms Spring gives an outage there, and what is not one.
     */
    @Test
    void theAdviceAnswersAnOutageInAControllerWith503AndADefectStill500() {
        var refused = new java.sql.SQLException("Connection refused", "08001");
        for (Exception outage : new Exception[]{
                new org.springframework.jdbc.CannotGetJdbcConnectionException("no connection", refused),
                new org.springframework.transaction.CannotCreateTransactionException("no transaction", refused),
                new org.springframework.dao.DataAccessResourceFailureException("gone", new IllegalStateException(refused))}) {
            var answer = ApiErrors.toResponse(outage);
            assertThat(answer.getStatusCode().value()).as(outage.toString()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
            assertThat(answer.getBody().error()).isEqualTo("unavailable");
        }
        var duplicate = new org.springframework.dao.DuplicateKeyException("dup", new java.sql.SQLException("unique", "23505"));
        assertThat(ApiErrors.toResponse(duplicate).getStatusCode().value()).as("a defect is not an outage").isEqualTo(500);
        assertThat(ApiErrors.toResponse(new IllegalStateException("bug")).getStatusCode().value()).isEqualTo(500);
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        assertThat(ApiHttp.isApiError(response)).as("the API's error shape: %s", response.body()).isTrue();
        assertThat(ApiHttp.body(response).path("error").asString()).isEqualTo("unavailable");
    }
}
