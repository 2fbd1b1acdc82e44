package dev.slice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.testing.ApiHttp;
import dev.slice.testing.SliceSpringTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document describes only what a client can send: path parameters of the path itself and the list
 * parameters, never the caller (resolved from the session or token) or any other server-side argument.
 */
@SliceSpringTest
class OpenApiDocumentTest {
    /** Every query parameter the API reads. */
    /** Paging, the stop's force, the servers list's search and filters, and the usage views' range and month. */
    private static final Set<String> QUERY_PARAMETERS = Set.of("offset", "limit", "force", "q", "status", "backend", "owner", "sort",
            "range", "month");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{([^}]+)}");

    @LocalServerPort int port;

    @Test
    void everyOperationsParametersAreOnesAClientCanSend() throws Exception {
        var response = new ApiHttp(port).json(null, "GET", "/api/openapi", null);
        assertThat(response.statusCode()).isEqualTo(200);
        Files.writeString(Path.of("target", "openapi.json"), response.body());
        JsonNode paths = ApiHttp.body(response).get("paths");
        int operations = 0;
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            Set<String> variables = new HashSet<>();
            Matcher matcher = TEMPLATE_VARIABLE.matcher(path.getKey());
            while (matcher.find()) variables.add(matcher.group(1));
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                operations++;
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                Set<String> pathParameters = new HashSet<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    String in = parameter.get("in").asString();
                    String parameterName = parameter.get("name").asString();
                    assertThat(parameterName).as(name).isNotEqualTo("actor");
                    assertThat(in).as(name + " " + parameterName).isIn("path", "query");
                    if (in.equals("path")) {
                        assertThat(variables).as(name + " " + parameterName).contains(parameterName);
                        pathParameters.add(parameterName);
                    } else {
                        assertThat(QUERY_PARAMETERS).as(name + " " + parameterName).contains(parameterName);
                        assertThat(parameter.path("required").asBoolean(false)).as(name + " " + parameterName).isFalse();
                        assertThat(parameter.path("schema").path("type").asString()).as(name + " " + parameterName).isIn("integer", "boolean", "string");
                    }
                }
                assertThat(pathParameters).as(name).isEqualTo(variables);
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(30);
        assertThat(response.body()).doesNotContain("\"actor\"").doesNotContain("\"Actor\"");
    }

    /** The calls the sign-in throttle guards document its 429, with Retry-After and the API's error body. */
    @Test
    void throttledCallsDocumentTheir429WithRetryAfter() {
        var response = new ApiHttp(port).json(null, "GET", "/api/openapi", null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = ApiHttp.body(response).get("paths");
        for (String path : new String[] {"/api/me/password", "/api/me/two-factor/disable"}) {
            JsonNode responses = paths.path(path).path("post").path("responses");
            assertThat(responses.has("204")).as(path + " " + responses).isTrue();
            JsonNode throttled = responses.path("429");
            assertThat(throttled.path("description").asString()).as(path + " " + responses).contains("Retry-After");
            assertThat(throttled.path("headers").path("Retry-After").path("schema").path("type").asString()).as(path).isEqualTo("integer");
            assertThat(throttled.path("content").path("application/json").path("schema").path("$ref").asString()).as(path)
                    .endsWith("/ApiError");
        }
        assertThat(paths.path("/api/me").path("get").path("responses").has("429")).as("an unthrottled call").isFalse();
    }

    /** The Swagger UI page still loads (its files are not taken by the API's JSON 404 for unknown paths). */
    @Test
    void theSwaggerUiIsServed() {
        ApiHttp http = new ApiHttp(port);
        var docs = http.json(null, "GET", "/api/docs", null);
        assertThat(docs.statusCode()).isEqualTo(302);
        String location = java.net.URI.create(docs.headers().firstValue("Location").orElseThrow()).getRawPath();
        var page = http.json(null, "GET", location, null);
        assertThat(page.statusCode()).as(location).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("swagger");
        var config = http.json(null, "GET", "/api/openapi/swagger-config", null);
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(ApiHttp.body(config).get("url").asString()).isEqualTo("/api/openapi");
        System.out.println("Swagger UI at " + location);
    }
}
