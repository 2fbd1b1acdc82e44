import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts one benchmark run through Slice's REST API as the operator (form sign-in, session cookie and CSRF token, as
 * the panel does) and prints {@code RUN <runId> JOB <jobId>}; deploy/bench/report.sh follows it in the database.
 *
 * Usage: java ReportBench.java URL OPERATOR PASSWORD JSON_BODY   (loopback URLs only)
 */
public class ReportBench {
    private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
    private static final Pattern IDS = Pattern.compile("\"runId\"\\s*:\\s*(\\d+).*?\"jobId\"\\s*:\\s*(\\d+)", Pattern.DOTALL);

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java ReportBench.java URL OPERATOR PASSWORD JSON_BODY");
            System.exit(2);
        }
        String base = args[0];
        String host = URI.create(base).getHost();
        if (!(host.equals("localhost") || host.startsWith("127."))) throw new IllegalArgumentException("only loopback URLs: " + host);
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String form = "username=" + enc(args[1]) + "&password=" + enc(args[2]) + "&_csrf=" + enc(csrf(http, base + "/login"));
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        String location = signIn.headers().firstValue("Location").orElse("");
        if (signIn.statusCode() != 302 || location.contains("error")) {
            throw new IllegalStateException("sign-in failed: " + signIn.statusCode() + " -> " + location);
        }
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/api/reports"))
                .header("Content-Type", "application/json").header("X-CSRF-TOKEN", csrf(http, base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString(args[3])).build(), HttpResponse.BodyHandlers.ofString());
        Matcher ids = IDS.matcher(started.body());
        if (started.statusCode() != 202 || !ids.find()) {
            throw new IllegalStateException("POST /api/reports: " + started.statusCode() + " " + started.body());
        }
        System.out.println("RUN " + ids.group(1) + " JOB " + ids.group(2));
    }

    private static String csrf(HttpClient http, String page) throws Exception {
        String html = http.send(HttpRequest.newBuilder(URI.create(page)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new IllegalStateException("no CSRF token in " + page);
        return m.group(1);
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
