package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.ApiTokenService;
import dev.slice.plan.PlanService;
import dev.slice.signin.SignInThrottle;
import dev.slice.testing.MutableClock;
import dev.slice.testing.SliceSpringTest;
import dev.slice.testing.Tenants;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.password.PasswordEncoder;

/** {@code POST /api/me/password} is throttled like a sign-in: wrong current passwords are failed sign-ins. */
@SliceSpringTest
@Timeout(120)
class OwnPasswordThrottleTest {
    @LocalServerPort int port;
    @Autowired AccountService accounts;
    @Autowired PlanService plans;
    @Autowired ApiTokenService tokens;
    @Autowired SignInThrottle throttle;
    @Autowired PasswordEncoder encoder;
    @Autowired MutableClock clock;

    @Test
    void wrongCurrentPasswordsEndIn429WithRetryAfterAndCountForSignInToo() {
        ApiHttp api = new ApiHttp(port);
        Actor seller = Tenants.reseller(accounts, plans, "thr-res");
        Actor pia = Tenants.customer(accounts, seller, "pia");
        String token = tokens.create(pia, "script").token();

        assertThat(api.json(token, "POST", "/api/me/password", change(Tenants.PASSWORD, "Second-Secret-81")).statusCode()).isEqualTo(204);
        for (int i = 1; i < 5; i++) {
            HttpResponse<String> wrong = api.json(token, "POST", "/api/me/password", change("Wrong-Guess-" + i, "Third-Secret-82"));
            assertThat(wrong.statusCode()).as("wrong current password " + i).isEqualTo(400);
            assertThat(ApiHttp.fields(wrong)).containsExactly("currentPassword");
        }
        HttpResponse<String> fifth = api.json(token, "POST", "/api/me/password", change("Wrong-Guess-5", "Third-Secret-82"));
        assertThat(fifth.statusCode()).isEqualTo(429);
        assertThat(ApiHttp.isApiError(fifth)).isTrue();
        assertThat(fifth.headers().firstValue("Retry-After")).hasValue("1");
        // The same counters as the sign-in page's: a guesser cannot switch between the two.
        assertThat(throttle.waitBefore("pia", "127.0.0.1")).isPresent();

        // While the delay runs even the right password is not checked.
        HttpResponse<String> during = api.json(token, "POST", "/api/me/password", change("Second-Secret-81", "Third-Secret-82"));
        assertThat(during.statusCode()).isEqualTo(429);
        assertThat(encoder.matches("Second-Secret-81", accounts.findForLogin("pia").orElseThrow().passwordHash())).isTrue();

        clock.advance(Duration.ofSeconds(2));
        assertThat(api.json(token, "POST", "/api/me/password", change("Second-Secret-81", "Third-Secret-82")).statusCode()).isEqualTo(204);
        assertThat(encoder.matches("Third-Secret-82", accounts.findForLogin("pia").orElseThrow().passwordHash())).isTrue();
        assertThat(throttle.waitBefore("pia", "127.0.0.1")).isEmpty();
    }

    private static String change(String current, String next) {
        return "{\"currentPassword\":\"" + current + "\",\"newPassword\":\"" + next + "\"}";
    }
}
