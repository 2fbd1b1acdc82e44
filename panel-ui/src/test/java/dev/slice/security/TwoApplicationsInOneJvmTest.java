package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.SliceApplication;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.db.testing.TestDatabaseInitializer;
import dev.slice.driver.registry.DriverSource;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Two Slice applications in one JVM (the panel's tests start one per set of backends) each keep their own logins:
 * the shared application still answers its API by token and by session while a second one runs and after it
 * stopped, and the second answers its own. Before the fix, the second one's start left the first answering 401.
 */
@PanelAppTest
class TwoApplicationsInOneJvmTest {
    @Autowired PanelFixture fixture;
    @Autowired ApiTokenService tokens;
    @LocalServerPort int port;

    /** The second application: no backends at all, its operator only. */
    @Configuration(proxyBeanMethods = false)
    static class NoBackends {
        @Bean
        DriverSource noDrivers() {
            return context -> List.of();
        }
    }

    @Test
    void aSecondApplicationLeavesTheFirstOnesLoginsAlone() {
        Actor customer = fixture.customer("twoapps");
        String token = tokens.create(customer, "two-apps").token();
        PanelHttp session = new PanelHttp(port, "127.0.0.7");
        session.signIn(customer.username(), PanelFixture.PASSWORD);
        assertSignedIn(session, token, "before a second application");

        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(SliceApplication.class, NoBackends.class)
                .initializers(new TestDatabaseInitializer())
                // Arguments, not default properties: those would lose to the orchestrator's defaults (port 8080, slicebr0).
                .run("--server.port=0", "--slice.guest-id-prefix=ptwo",
                        "--slice.bootstrap.operator-username=" + PanelAppTest.OPERATOR,
                        "--slice.bootstrap.operator-password=" + PanelAppTest.OPERATOR_PASSWORD,
                        "--slice.bootstrap.bridge=sliceptwo0", "--slice.bootstrap.configure-bridge=false",
                        "--slice.bootstrap.pool-network=10.79.15.0/24", "--slice.bootstrap.pool-gateway=10.79.15.1")) {
            assertSignedIn(session, token, "while a second application runs");

            int secondPort = second.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            PanelHttp operatorOfTheSecond = new PanelHttp(secondPort, "127.0.0.7");
            operatorOfTheSecond.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            assertThat(operatorOfTheSecond.signedIn()).as("the second application's own session").isTrue();
            assertThat(operatorOfTheSecond.getWithBearer("/api/me", token).statusCode())
                    .as("a token of the first is unknown to the second").isEqualTo(401);
        }
        assertSignedIn(session, token, "after the second application stopped");
        assertSignedIn(new PanelHttp(port, "127.0.0.7"), token, "a new session after the second application stopped", customer);
    }

    private static void assertSignedIn(PanelHttp session, String token, String when) {
        assertThat(session.signedIn()).as("session " + when).isTrue();
        assertThat(session.getWithBearer("/api/me", token).statusCode()).as("token " + when).isEqualTo(200);
    }

    private static void assertSignedIn(PanelHttp fresh, String token, String when, Actor customer) {
        fresh.signIn(customer.username(), PanelFixture.PASSWORD);
        assertSignedIn(fresh, token, when);
    }
}
