package dev.slice.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to the test application on loopback, with an API token, the way an API client calls it. */
final class ApiHttp {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    ApiHttp(int port) {
        this.port = port;
    }

    HttpResponse<String> json(String token, String method, String path, String body) {
        return send(token, method, path, body, body == null ? null : "application/json");
    }

    HttpResponse<String> send(String token, String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The API's error shape: status (as answered), error, message, fieldErrors of {field, message}. */
    static boolean isApiError(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) return false;
        JsonNode error;
        try {
            error = body(response);
        } catch (RuntimeException e) {
            return false;
        }
        return error.isObject() && error.path("status").asInt() == response.statusCode() && error.path("error").isString()
                && error.path("message").isString() && !error.path("message").asString().isBlank() && error.path("fieldErrors").isArray()
                && error.size() == 4;
    }

    /** The names in fieldErrors. */
    static java.util.List<String> fields(HttpResponse<String> response) {
        return body(response).path("fieldErrors").findValuesAsString("field");
    }
}
