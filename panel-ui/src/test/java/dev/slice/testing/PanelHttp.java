package dev.slice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-less visitor of the panel over real HTTP: its own cookies, optionally its own loopback source address
 * (127.0.0.x, so throttling per client address can be tested from one host). Redirects are not followed.
 */
public final class PanelHttp {
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    public PanelHttp(int port, String sourceAddress) {
        this.baseUrl = "http://127.0.0.1:" + port;
        HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10));
        if (sourceAddress != null) {
            try {
                builder.localAddress(InetAddress.getByName(sourceAddress));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        client = builder.build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public HttpResponse<String> getWithBearer(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token).GET());
    }

    /** A form post; {@code headers} alternate name, value. */
    public HttpResponse<String> postForm(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return send(request);
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return send(request);
    }

    /** The CSRF token the sign-in page hands its form (Vaadin writes it into the page's meta tags). */
    public String csrfToken() {
        HttpResponse<String> page = get("/login");
        Matcher token = META_CSRF.matcher(page.body());
        if (!token.find()) throw new AssertionError("no CSRF meta tag on the sign-in page: " + page.body());
        return token.group(1);
    }

    /** Posts the sign-in form as the page does (token in the body); returns the response (a redirect). */
    public HttpResponse<String> signIn(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", username);
        form.put("password", password);
        form.put("_csrf", csrfToken());
        return postForm("/login", form);
    }

    /** Whether this visitor's session is signed in, as the REST API sees it. */
    public boolean signedIn() {
        return get("/api/me").statusCode() == 200;
    }

    /** The session cookie, for a WebSocket handshake sent by another client. */
    public String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::toString).findFirst().orElseThrow(() -> new AssertionError("no session cookie"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
