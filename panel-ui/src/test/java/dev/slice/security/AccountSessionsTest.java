package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Real sign-ins over HTTP with cookies: a password reset or change ends the account's other web sessions (API tokens
 * go on, as documented), and a disabled reseller's customers cannot sign in. Each test signs in from loopback
 * addresses of its own (127.0.0.4x), so the throttle's count for the suite's other sign-ins is not theirs.
 */
@PanelAppTest
@Timeout(120)
class AccountSessionsTest {
    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @Autowired AccountManagement management;
    @Autowired ApiTokenService tokens;
    @LocalServerPort int port;

    @Test
    void aResetEndsEverySignedInSessionOfTheAccountButNotItsApiTokens() {
        Actor customer = fixture.customer("reset-sessions");
        PanelHttp laptop = signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.41");
        PanelHttp phone = signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.42");
        String token = tokens.create(customer, "backup script").token();

        String oneTime = management.resetPassword(fixture.operator(), customer.accountId());

        assertThat(laptop.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(phone.get("/api/me").statusCode()).isEqualTo(401);
        assertThat(laptop.get("/").statusCode()).as("a panel page sends it to the sign-in").isEqualTo(302);
        assertThat(bearer(token).statusCode()).as("an API token is a credential of its own").isEqualTo(200);
        assertThat(signedIn(customer.username(), oneTime, "127.0.0.41").signedIn()).isTrue();
    }

    @Test
    void onesOwnPasswordChangeEndsTheOtherSessionsOnly() {
        Actor customer = fixture.customer("own-change");
        PanelHttp here = signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.43");
        PanelHttp elsewhere = signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.44");

        HttpResponse<String> changed = here.postJson("/api/me/password",
                "{\"currentPassword\":\"" + PanelFixture.PASSWORD + "\",\"newPassword\":\"Fresh-Own-Pass-31\"}",
                "X-CSRF-TOKEN", here.csrfToken());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);

        assertThat(here.signedIn()).as("the session that changed it").isTrue();
        assertThat(elsewhere.get("/api/me").statusCode()).isEqualTo(401);
    }

    @Test
    void aDisabledResellersCustomersCannotSignInUntilItIsEnabledAgain() {
        Actor operator = fixture.operator();
        Actor seller = accounts.create(operator, new NewAccount(Role.RESELLER, "dis-seller-" + System.nanoTime() % 100_000, null, null,
                PanelFixture.PASSWORD, null)).asActor();
        Actor customer = accounts.create(seller, new NewAccount(Role.CUSTOMER, "dis-cust-" + System.nanoTime() % 100_000, null, null,
                PanelFixture.PASSWORD, null)).asActor();
        PanelHttp before = signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.45");

        accounts.setEnabled(operator, seller.accountId(), false);
        assertThat(before.get("/api/me").statusCode()).as("a session signed in before").isEqualTo(401);
        PanelHttp visitor = new PanelHttp(port, "127.0.0.46");
        HttpResponse<String> refused = visitor.signIn(customer.username(), PanelFixture.PASSWORD);
        assertThat(refused.headers().firstValue("Location").orElseThrow()).contains("error");
        assertThat(visitor.signedIn()).isFalse();

        accounts.setEnabled(operator, seller.accountId(), true);
        assertThat(signedIn(customer.username(), PanelFixture.PASSWORD, "127.0.0.46").signedIn()).isTrue();
    }

    private PanelHttp signedIn(String username, String password, String address) {
        PanelHttp visitor = new PanelHttp(port, address);
        HttpResponse<String> response = visitor.signIn(username, password);
        assertThat(response.headers().firstValue("Location").orElseThrow()).as("sign-in of " + username).doesNotContain("error");
        assertThat(visitor.signedIn()).isTrue();
        return visitor;
    }

    private HttpResponse<String> bearer(String token) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
