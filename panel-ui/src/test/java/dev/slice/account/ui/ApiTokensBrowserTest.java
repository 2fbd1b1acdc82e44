package dev.slice.account.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A token made on the panel works against the REST API until it is revoked on the panel; a read-only one with an expiry
 * is listed with both and may only read.
 */
@PanelAppTest
class ApiTokensBrowserTest {

    @Autowired PanelFixture fixture;
    @LocalServerPort int port;
    @Autowired Clock clock;

    @Test
    void aTokenFromThePanelOpensTheApiUntilItIsRevoked() throws Exception {
        Actor customer = fixture.customer("ivy");
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(customer.username(), PanelFixture.PASSWORD);
            pages.open("/tokens");
            pages.click("token-create");
            pages.waitFor(d -> pages.fieldError("token-name").isEmpty() ? null : true);
            assertThat(pages.fieldError("token-name")).contains("name of 1-64 characters");

            pages.type("token-name", "deploy script");
            pages.click("token-create");
            String token = pages.waitFor(d -> pages.text("token-new").isBlank() ? null : pages.text("token-new").strip());
            pages.waitForGridCell("tokens", "deploy script");
            assertThat(pages.content("token-once")).contains("shown only once");
            pages.click("token-copy");
            pages.waitForNotice("Token copied to the clipboard");
            chromium.screenshot("api-tokens");

            HttpResponse<String> me = getMe(token);
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.body()).contains(customer.username());

            pages.click(chromium.driver().findElement(org.openqa.selenium.By.cssSelector("[id^=token-revoke-]")).getDomAttribute("id"));
            pages.confirm();
            pages.waitFor(d -> pages.gridCells("tokens").contains("deploy script") ? null : true);
            assertThat(getMe(token).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aReadOnlyExpiringTokenFromThePanelReadsButMayNotChangeAnything() throws Exception {
        Actor customer = fixture.customer("ivy-ro");
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30);
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(customer.username(), PanelFixture.PASSWORD);
            pages.open("/tokens");
            pages.type("token-name", "monitoring");
            pages.choose("token-scope", "read-only (GET, HEAD)");
            pages.type("token-expires", day + "\n");
            pages.click("token-create");
            String token = pages.waitFor(d -> pages.text("token-new").isBlank() ? null : pages.text("token-new").strip());
            pages.waitForGridCell("tokens", "monitoring");
            assertThat(pages.gridCells("tokens")).contains("read-only", day + " 00:00:00 UTC");
            chromium.screenshot("api-tokens-read-only");

            assertThat(getMe(token).statusCode()).isEqualTo(200);
            HttpResponse<String> write = call(token, "POST", "/api/tokens", "{\"name\":\"more\"}");
            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(write.body()).contains("scope is read-only");
        }
    }

    private HttpResponse<String> getMe(String token) throws IOException, InterruptedException {
        return call(token, "GET", "/api/me", null);
    }

    private HttpResponse<String> call(String token, String method, String path, String body) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
