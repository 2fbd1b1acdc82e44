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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A token made on the panel works against the REST API until it is revoked on the panel. */
@PanelAppTest
class ApiTokensBrowserTest {

    @Autowired PanelFixture fixture;
    @LocalServerPort int port;

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

    private HttpResponse<String> getMe(String token) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/me"))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
