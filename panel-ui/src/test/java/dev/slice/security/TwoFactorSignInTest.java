package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import dev.slice.twofactor.TwoFactorService;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The second sign-in step over real HTTP: after the right password a two-factor account's session is not signed in
 * (pages and the REST API refuse it) until a code or a recovery code is given; a code works once; wrong ones are
 * throttled; API tokens need no code. Codes come from the library's RFC 6238 generator at the current time.
 */
@PanelAppTest
@Timeout(120)
class TwoFactorSignInTest {
    @Autowired PanelFixture fixture;
    @Autowired TwoFactorService twoFactor;
    @Autowired ApiTokenService tokens;
    @Autowired AuditLog audit;
    @Autowired dev.slice.account.AccountManagement management;
    @LocalServerPort int port;

    @Test
    void thePasswordAloneDoesNotSignInAndTheCodeDoesOnce() throws Exception {
        Actor customer = fixture.customer("twofa");
        String secret = twoFactor.start(customer).secret();
        List<String> recovery = twoFactor.confirm(customer, code(secret, 0));

        PanelHttp visitor = new PanelHttp(port, "127.0.0.21");
        HttpResponse<String> password = visitor.signIn(customer.username(), PanelFixture.PASSWORD);
        assertThat(password.statusCode()).isEqualTo(302);
        assertThat(password.headers().firstValue("Location").orElseThrow()).endsWith("/login/two-factor");
        assertThat(visitor.signedIn()).as("the REST API does not take a half-done sign-in").isFalse();
        assertThat(visitor.get("/servers").statusCode()).as("nor do the pages").isEqualTo(302);
        assertThat(visitor.get("/login/two-factor").body()).contains("_csrf");

        // Not 6 digits nor a recovery code, then a wrong one: back to the code page, still not signed in.
        assertThat(location(postCode(visitor, "12345"))).endsWith("/login/two-factor?error");
        assertThat(location(postCode(visitor, code(secret, 5)))).endsWith("/login/two-factor?error");
        assertThat(visitor.signedIn()).isFalse();
        // Without the CSRF token the code step is refused outright.
        assertThat(visitor.postForm("/login/two-factor", Map.of("code", code(secret, 1))).statusCode()).isEqualTo(403);

        String used = code(secret, 1);
        assertThat(location(postCode(visitor, used))).doesNotContain("error").doesNotContain("login");
        assertThat(visitor.signedIn()).isTrue();

        // The same code from another browser, with the right password, is a replay.
        PanelHttp other = new PanelHttp(port, "127.0.0.22");
        other.signIn(customer.username(), PanelFixture.PASSWORD);
        assertThat(location(postCode(other, used))).endsWith("/login/two-factor?error");
        assertThat(other.signedIn()).isFalse();
        assertThat(location(postCode(other, recovery.getFirst()))).doesNotContain("error");
        assertThat(other.signedIn()).isTrue();

        // An API token of the same account needs no code.
        String token = tokens.create(customer, "twofa-script").token();
        assertThat(new PanelHttp(port, null).getWithBearer("/api/me", token).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongCodesAreThrottledAndWithoutAPendingSignInTheCodeStepSendsBackToThePassword() throws Exception {
        Actor customer = fixture.customer("twofb");
        Instant start = Instant.now();
        String secret = twoFactor.start(customer).secret();
        twoFactor.confirm(customer, code(secret, 0));

        PanelHttp stranger = new PanelHttp(port, "127.0.0.23");
        stranger.get("/login");
        assertThat(location(postCode(stranger, code(secret, 1)))).endsWith("/login?expired");
        assertThat(stranger.signedIn()).isFalse();

        // A password reset between the two steps ends the half-done sign-in.
        Actor reset = fixture.customer("twofr");
        String resetSecret = twoFactor.start(reset).secret();
        twoFactor.confirm(reset, code(resetSecret, 0));
        PanelHttp before = new PanelHttp(port, "127.0.0.25");
        before.signIn(reset.username(), PanelFixture.PASSWORD);
        management.resetPassword(fixture.operator(), reset.accountId());
        assertThat(location(postCode(before, code(resetSecret, 1)))).endsWith("/login?expired");
        assertThat(before.signedIn()).isFalse();

        PanelHttp guesser = new PanelHttp(port, "127.0.0.24");
        guesser.signIn(customer.username(), PanelFixture.PASSWORD);
        String wrong = code(secret, 7);
        String last = "";
        for (int i = 0; i < 6 && !last.contains("wait="); i++) last = location(postCode(guesser, wrong));
        assertThat(last).contains("/login/two-factor?error&wait=");
        // While the delay runs even the right code is refused unchecked, and a new password does not reset the count.
        HttpResponse<String> refused = postCode(guesser, code(secret, 1));
        assertThat(location(refused)).contains("wait=");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(guesser.signedIn()).isFalse();
        assertThat(location(guesser.signIn(customer.username(), PanelFixture.PASSWORD))).contains("wait=");
        assertThat(audit.page(fixture.operator(), 0, 200)).filteredOn(e -> e.at().isAfter(start.minusSeconds(1))
                        && String.valueOf(customer.accountId()).equals(e.targetId()))
                .extracting(AuditEntry::action).contains("account.two-factor-enable", "account.sign-in-failed");
    }

    private static HttpResponse<String> postCode(PanelHttp visitor, String code) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("code", code);
        form.put("_csrf", visitor.csrfToken());
        return visitor.postForm("/login/two-factor", form);
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return response.headers().firstValue("Location").orElseThrow();
    }

    /** The code of the time step {@code steps} after the current one. */
    static String code(String secret, int steps) throws Exception {
        return new DefaultCodeGenerator().generate(secret, Math.floorDiv(Instant.now().getEpochSecond(), 30) + steps);
    }
}
