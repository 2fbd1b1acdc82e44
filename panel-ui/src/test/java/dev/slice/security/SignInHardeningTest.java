package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Sign-in over real HTTP against the running panel: login CSRF, where a CSRF token may come from, the security headers
 * and the session cookie, and the throttle of failed sign-ins (per account and client address: loopback addresses
 * 127.0.0.x stand for different clients).
 */
@PanelAppTest
class SignInHardeningTest {

    @Autowired PanelFixture fixture;
    @Autowired AuditLog audit;
    @LocalServerPort int port;

    @Test
    void anotherSiteCannotSignAVisitorInWithoutTheFormsCsrfToken() {
        Actor customer = fixture.customer("csrf");
        // An address of its own: the throttle's count for 127.0.0.1 belongs to the whole suite's sign-ins.
        PanelHttp victim = new PanelHttp(port, "127.0.0.5");
        victim.get("/login"); // a session exists, as on any visitor's browser
        Map<String, String> credentials = Map.of("username", customer.username(), "password", PanelFixture.PASSWORD);

        HttpResponse<String> forged = victim.postForm("/login", credentials, "Origin", "https://attacker.example");
        assertThat(forged.statusCode()).as(forged.headers().map().toString()).isEqualTo(403);
        assertThat(victim.signedIn()).isFalse();
        // Vaadin's own requests skip Spring's token (they carry Vaadin's); a login post dressed as one does not.
        assertThat(victim.postForm("/login?v-r=uidl", credentials, "Origin", "https://attacker.example").statusCode()).isEqualTo(403);
        assertThat(victim.signedIn()).isFalse();

        HttpResponse<String> real = victim.signIn(customer.username(), PanelFixture.PASSWORD);
        assertThat(real.statusCode()).isEqualTo(302);
        assertThat(real.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        assertThat(victim.signedIn()).isTrue();
    }

    @Test
    void aCsrfTokenInTheQueryStringIsRefusedOnTheSignInAndTheApi() {
        Actor customer = fixture.customer("qtoken");
        PanelHttp visitor = new PanelHttp(port, "127.0.0.6");
        String token = visitor.csrfToken();
        Map<String, String> credentials = Map.of("username", customer.username(), "password", PanelFixture.PASSWORD);
        HttpResponse<String> queried = visitor.postForm("/login?_csrf=" + token, credentials);
        assertThat(queried.statusCode()).as(queried.headers().map().toString()).isEqualTo(403);
        assertThat(visitor.signedIn()).isFalse();

        assertThat(visitor.signIn(customer.username(), PanelFixture.PASSWORD).statusCode()).isEqualTo(302);
        String apiToken = visitor.csrfToken();
        String body = "{\"name\":\"from-session\"}";
        assertThat(visitor.postJson("/api/tokens?_csrf=" + apiToken, body).statusCode()).isEqualTo(403);
        assertThat(visitor.postJson("/api/tokens", body, "X-CSRF-TOKEN", apiToken).statusCode()).isEqualTo(201);
    }

    @Test
    void pagesSendSecurityHeadersAndTheSessionCookieIsSameSiteLax() {
        HttpResponse<String> page = new PanelHttp(port, null).get("/login");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Content-Type-Options")).as(page.headers().map().toString()).contains("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "object-src 'none'"));
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly"));
        HttpResponse<String> script = new PanelHttp(port, null).get("/console/slice-console.js");
        assertThat(script.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void fiftyQuickWrongPasswordsAreThrottledWithoutLockingTheRealUserOutForLong() throws InterruptedException {
        Actor customer = fixture.customer("guessed");
        Instant start = Instant.now();
        PanelHttp guesser = new PanelHttp(port, "127.0.0.3");
        // The real user has signed in from its own address before, as a real user has (the policy exempts such addresses).
        PanelHttp owner = new PanelHttp(port, "127.0.0.4");
        assertThat(owner.signIn(customer.username(), PanelFixture.PASSWORD).headers().firstValue("Location").orElseThrow())
                .doesNotContain("error");
        int throttled = 0;
        for (int i = 0; i < 50; i++) {
            long begun = System.nanoTime();
            HttpResponse<String> answer = guesser.signIn(customer.username(), "Wrong-Guess-" + i);
            assertThat(answer.statusCode()).isEqualTo(302);
            if (answer.headers().firstValue("Location").orElseThrow().contains("wait=")) throttled++;
            long left = 120 - (System.nanoTime() - begun) / 1_000_000;
            if (left > 0) Thread.sleep(left);
        }
        assertThat(throttled).as("attempts refused unchecked").isGreaterThanOrEqualTo(40);
        assertThat(guesser.signedIn()).isFalse();

        // Once a delay of a few seconds runs (the next one at most), the right password from there waits too, and is told how long.
        for (int i = 0; i < 20 && waitSeconds(guesser.signIn(customer.username(), "Wrong-Again-" + i)) < 3; i++) {
            Thread.sleep(200);
        }
        HttpResponse<String> refused = guesser.signIn(customer.username(), PanelFixture.PASSWORD);
        long seconds = waitSeconds(refused);
        assertThat(seconds).as(refused.headers().firstValue("Location").orElseThrow()).isBetween(1L, 32L);
        assertThat(refused.headers().firstValue("Retry-After")).contains(Long.toString(seconds));
        assertThat(guesser.signedIn()).isFalse();

        // The real user elsewhere is not locked out at all.
        owner = new PanelHttp(port, "127.0.0.4");
        assertThat(owner.signIn(customer.username(), PanelFixture.PASSWORD).headers().firstValue("Location").orElseThrow())
                .doesNotContain("error");
        assertThat(owner.signedIn()).isTrue();

        // And from the guessing address after the short wait it tells (a few seconds of real time, no more).
        PanelFixture.waitUntil(Duration.ofSeconds(seconds + 5), () -> {
            HttpResponse<String> answer = guesser.signIn(customer.username(), PanelFixture.PASSWORD);
            return !answer.headers().firstValue("Location").orElseThrow().contains("error");
        }, "the right password accepted after the wait");
        assertThat(guesser.signedIn()).isTrue();

        var entries = audit.page(fixture.operator(), 0, 500).stream()
                .filter(e -> e.at().isAfter(start.minusSeconds(1)) && String.valueOf(customer.accountId()).equals(e.targetId())).toList();
        assertThat(entries).extracting(AuditEntry::action).contains("account.sign-in-failed", "account.sign-in");
        assertThat(entries.stream().filter(e -> e.action().equals("account.sign-in-failed")).count())
                .as("throttled attempts are not logged one by one").isLessThan(15);
        assertThat(entries).filteredOn(e -> e.action().equals("account.sign-in-failed"))
                .allSatisfy(e -> assertThat(e.actorName()).isEqualTo("anonymous"));
    }

    @Test
    void signingInAndOutAndAFailedSignInAreAuditedAsSentencesWithTheAddress() {
        Actor customer = fixture.customer("audited");
        Instant start = Instant.now();
        PanelHttp visitor = new PanelHttp(port, "127.0.0.7");
        visitor.signIn(customer.username(), "Wrong-Once-1");
        assertThat(visitor.signIn(customer.username(), PanelFixture.PASSWORD).headers().firstValue("Location").orElseThrow())
                .doesNotContain("error");
        assertThat(visitor.postForm("/logout", Map.of("_csrf", visitor.csrfToken())).statusCode()).isEqualTo(302);
        assertThat(visitor.signedIn()).isFalse();

        var sentences = audit.page(fixture.operator(), 0, 200).stream()
                .filter(e -> e.at().isAfter(start.minusSeconds(1)) && String.valueOf(customer.accountId()).equals(e.targetId()))
                .map(AuditEntry::sentence).toList();
        String id = "account #" + customer.accountId();
        assertThat(sentences).contains(
                customer.username() + " signed in from 127.0.0.7.",
                customer.username() + " signed out from 127.0.0.7.");
        assertThat(sentences).anySatisfy(s -> assertThat(s)
                .startsWith("anonymous failed to sign in to " + id + " as '" + customer.username() + "' from 127.0.0.7"));
    }

    /** The wait the sign-in page was sent to show, 0 if none. */
    private static long waitSeconds(HttpResponse<String> answer) {
        Matcher wait = Pattern.compile("[?&]wait=(\\d+)").matcher(answer.headers().firstValue("Location").orElse(""));
        return wait.find() ? Long.parseLong(wait.group(1)) : 0;
    }

    @Test
    void theSignInPageSaysHowLongToWait() {
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.open("/login?error&wait=7");
            // The form's text, through its shadow roots, as rendered.
            String text = pages.waitFor(d -> {
                Object shown = ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "const walk = n => (n.shadowRoot ? walk(n.shadowRoot) : '') + Array.from(n.childNodes)"
                                + ".map(c => c.nodeType === 3 ? c.textContent : walk(c)).join(' ');"
                                + "return walk(document.querySelector('vaadin-login-form'));");
                return String.valueOf(shown).contains("Too many failed sign-ins") ? String.valueOf(shown) : null;
            });
            assertThat(text).contains("Wait 7 seconds");
            assertThat(chromium.driver().findElement(By.tagName("vaadin-login-form")).getDomAttribute("error")).isNotNull();
            chromium.screenshot("sign-in-throttled");
        }
    }
}
