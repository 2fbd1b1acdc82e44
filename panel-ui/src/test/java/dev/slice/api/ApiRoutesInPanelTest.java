package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.ApiTokenService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * In the whole application, where the panel's servlet takes every path and its login chain every request the API's
 * chain does not: under /api an unknown path is still a JSON 404, a wrong method a JSON 405 and a body that is not
 * JSON a 415, never the panel's page or a redirect to its login; the panel's own pages are unchanged.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRoutesInPanelTest {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort int port;
    @Autowired PanelFixture fixture;
    @Autowired ApiTokenService tokens;
    String token;

    @BeforeAll
    void token() {
        token = tokens.create(fixture.operator(), "routes").token();
    }

    @Test
    void unknownApiPathsAreJson404() throws Exception {
        for (String path : new String[] {"/api/nonexistent", "/api", "/api/servers/1/nonexistent", "/api/VAADIN/x"}) {
            HttpResponse<String> response = send("GET", path, token, null, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertApiError(response, 404);
        }
        HttpResponse<String> anonymous = send("GET", "/api/nonexistent", null, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertApiError(anonymous, 401);
    }

    @Test
    void aWrongMethodIsJson405AndNotARedirectToTheLogin() throws Exception {
        HttpResponse<String> response = send("GET", "/api/servers/1/start", token, null, null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertApiError(response, 405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        HttpResponse<String> put = send("PUT", "/api/me", token, "{}", "application/json");
        assertThat(put.statusCode()).isEqualTo(405);
        assertApiError(put, 405);
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> response = send("POST", "/api/tokens", token, "name=x", "application/x-www-form-urlencoded");
        assertThat(response.statusCode()).isEqualTo(415);
        assertApiError(response, 415);
    }

    @Test
    void thePanelAndTheApiDocumentationStillServeTheirPages() throws Exception {
        HttpResponse<String> login = send("GET", "/login", null, null, null);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(send("GET", "/no-such-panel-page", null, null, null).headers().firstValue("Content-Type").orElse(""))
                .doesNotStartWith("application/json");
        HttpResponse<String> docs = send("GET", "/api/docs", null, null, null);
        assertThat(docs.statusCode()).isEqualTo(302);
        String ui = URI.create(docs.headers().firstValue("Location").orElseThrow()).getRawPath();
        HttpResponse<String> page = send("GET", ui, null, null, null);
        assertThat(page.statusCode()).as(ui).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger");
        assertThat(send("GET", "/api/openapi", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theReportsReadingEndpointsAnswerJsonNamingTheFieldInTheWholeApplication() throws Exception {
        for (String path : new String[] {"/api/reports/987654/meaning", "/api/reports/987654/compare/987655",
                "/api/reports/987654/boot-times", "/api/reports/987654/samples.json", "/api/reports/plan-fits/987654"}) {
            HttpResponse<String> response = send("GET", path, token, null, null);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertApiError(response, 404);
        }
        String[][] bad = {{"/api/reports/x/meaning", "id"}, {"/api/reports/1/compare/y", "otherId"}, {"/api/reports/plan-fits/z", "planId"},
                {"/api/reports/1/compare/1", "otherId"}};
        for (String[] call : bad) {
            HttpResponse<String> response = send("GET", call[0], token, null, null);
            assertThat(response.statusCode()).as(call[0]).isEqualTo(400);
            assertApiError(response, 400);
            assertThat(json.readTree(response.body()).get("fieldErrors").get(0).get("field").asString()).isEqualTo(call[1]);
        }
    }

    private void assertApiError(HttpResponse<String> response, int status) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).as(response.body()).startsWith("application/json");
        JsonNode error = json.readTree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("fieldErrors").isArray()).isTrue();
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body, String type)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) request.header("Content-Type", type);
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
