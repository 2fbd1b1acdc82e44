package dev.slice.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP to the test application on loopback, with an API token, the way an API client (or a payment provider)
 * calls it; every call has a deadline. The tests' one HTTP caller.
 */
public final class ApiHttp {
    public static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final int port;

    public ApiHttp(int port) {
        this.port = port;
    }

    /** {@code body} is JSON, or null for none; {@code token} null for none. */
    public HttpResponse<String> json(String token, String method, String path, String body) {
        return send(token, method, path, body, body == null ? null : "application/json");
    }

    /** {@code contentType} null: the request says none (as a careless client might). */
    public HttpResponse<String> send(String token, String method, String path, String body, String contentType) {
        return exactly(token, method, path, body, contentType == null ? Map.of() : Map.of("Content-Type", contentType));
    }

    /** A JSON body (or none) with extra headers, such as a payment provider's signature. */
    public HttpResponse<String> withHeaders(String token, String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(headers);
        if (body != null) all.putIfAbsent("Content-Type", "application/json");
        return exactly(token, method, path, body, all);
    }

    private HttpResponse<String> exactly(String token, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(token, path)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return call(method + " " + path, request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> bytes(String token, String path) {
        return call("GET " + path, request(token, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder request(String token, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return request;
    }

    private <T> HttpResponse<T> call(String what, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode body(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The API's error shape: status (as answered), error, message, fieldErrors of {field, message}. */
    public static boolean isApiError(HttpResponse<String> response) {
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
    public static List<String> fields(HttpResponse<String> response) {
        return body(response).path("fieldErrors").findValuesAsString("field");
    }

    /** The fields a refusal names, and that it is a 400. */
    public static List<String> fieldErrors(HttpResponse<String> response) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        return fields(response);
    }

    /** The first field an API error names, or "" when it names none. */
    public static String field(HttpResponse<String> response) {
        JsonNode fields = body(response).path("fieldErrors");
        return fields.isArray() && !fields.isEmpty() ? fields.get(0).path("field").asString() : "";
    }
}
