import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Order-to-console benchmark against a running Slice (the packaged app), from outside its JVM, through the
 * same doors a customer uses: the panel's form login, the REST API and the console WebSocket.
 *
 * <p>Setup: the operator signs in, makes an API token and creates the customers. Then, per run, the ordering
 * customer POSTs /api/servers, polls GET /api/servers/{id} until the server is ACTIVE and RUNNING, opens
 * /console/ws/{id} with its signed-in session, presses Enter and waits for a fresh login prompt from the
 * guest. The clock (System.nanoTime in this process) runs from just before the order is sent to the moment
 * that prompt arrives. The job's own timestamps (GET /api/jobs/{id}) split the time into queue wait and
 * provisioning steps. Each server is deleted (and the deletion awaited) before the next run; that is not timed.
 *
 * <p>It also prepares the list benchmark: a customer with an API token whose servers run.sh inserts as rows,
 * and further customers so the table holds other tenants' servers too. Ids and tokens go to files in --out.
 *
 * <p>Usage: java ProvisionBench.java --url http://127.0.0.1:PORT --operator-password PW --runs N --out DIR
 * [--operator admin] [--other-customers 24] [--template debian-12] [--run-limit 120]
 */
public class ProvisionBench {
    private static final Duration STATUS_POLL = Duration.ofMillis(10);
    /** Per run, to the console prompt and again to the deletion (--run-limit seconds; the emulator's Debian boots in minutes). */
    private static Duration RUN_LIMIT = Duration.ofSeconds(120);
    private static String template = "debian-12";

    private final String base;
    private final Path out;
    private final SecureRandom random = new SecureRandom();
    private final String suffix;

    ProvisionBench(String base, Path out) {
        this.base = base;
        this.out = out;
        this.suffix = Long.toString(Math.abs(random.nextLong()) % (36L * 36 * 36 * 36), 36);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = required(options, "url");
        String host = URI.create(url).getHost();
        if (!(host.equals("localhost") || host.startsWith("127."))) throw new IllegalArgumentException("only loopback: " + host);
        Path out = Path.of(required(options, "out"));
        Files.createDirectories(out);
        ProvisionBench bench = new ProvisionBench(url, out);
        template = options.getOrDefault("template", template);
        RUN_LIMIT = Duration.ofSeconds(Long.parseLong(options.getOrDefault("run-limit", "120")));
        bench.run(options.getOrDefault("operator", "admin"), required(options, "operator-password"),
                Integer.parseInt(options.getOrDefault("runs", "12")), Integer.parseInt(options.getOrDefault("other-customers", "24")),
                options.getOrDefault("backend", "oci"));
    }

    void run(String operatorName, String operatorPassword, int runs, int otherCustomers, String backend) throws Exception {
        Session operator = Session.signIn(base, operatorName, operatorPassword);
        String operatorToken = operator.createToken("bench-operator");
        Api admin = new Api(base, operatorToken);

        // Customers: one orders servers, one owns the rows the list benchmark reads, others fill the table.
        String orderName = "bench-order-" + suffix;
        String orderPassword = password();
        admin.post("/api/accounts", customer(orderName, orderPassword), 201);
        String listName = "bench-list-" + suffix;
        String listPassword = password();
        Map<String, Object> listAccount = admin.post("/api/accounts", customer(listName, listPassword), 201);
        List<String> others = new ArrayList<>();
        for (int i = 0; i < otherCustomers; i++) {
            others.add(String.valueOf((long) Json.num(admin.post("/api/accounts", customer("bench-other-" + suffix + "-" + i, password()), 201).get("id"))));
        }
        Session lister = Session.signIn(base, listName, listPassword);
        Files.writeString(out.resolve("list.token"), lister.createToken("bench-list") + "\n");
        Files.writeString(out.resolve("list.session"), lister.sessionCookie() + "\n");
        Files.writeString(out.resolve("list.account"), (long) Json.num(listAccount.get("id")) + "\n");
        Files.writeString(out.resolve("other.accounts"), String.join(" ", others) + "\n");

        Session customer = Session.signIn(base, orderName, orderPassword);
        Api api = new Api(base, customer.createToken("bench-order"));
        long planId = smallestPlan(api, backend);
        deleteOnInterrupt(api);

        if (runs == 0) return;
        System.out.printf("order -> console: %s plan %d, %s, 1 unmeasured warm-up run + %d measured runs%n", backend, planId, template, runs);
        List<Run> measured = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            Run run = provision(api, customer, planId, "bench-" + suffix + "-" + i);
            System.out.printf("  %s %2d: total %6.0f ms (queue %4.0f, create_guest %4.0f, start_guest %4.0f, console %4.0f), load %s%n",
                    i == 0 ? "warm-up" : "run    ", i, run.totalMs, run.phases.get("job queued -> claimed by a worker"),
                    run.phases.get("  step create_guest"), run.phases.get("  step start_guest"),
                    run.phases.get("console: WebSocket open + prompt after Enter"), loadAverage());
            if (i > 0) measured.add(run);
        }
        report(measured);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static Map<String, Object> customer(String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("role", "CUSTOMER");
        body.put("username", username);
        body.put("displayName", username);
        body.put("email", null);
        body.put("password", password);
        body.put("parentId", null);
        return body;
    }

    private String password() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "Bx-" + java.util.HexFormat.of().formatHex(bytes) + "-9Q";
    }

    /** The catalogue's smallest plan (by memory) of the backend, e.g. {@code oci} or {@code uml}. */
    private static long smallestPlan(Api api, String backend) throws Exception {
        List<Object> plans = Json.list(api.get("/api/plans/catalogue"));
        return plans.stream().map(p -> Json.map(p))
                .filter(p -> backend.equalsIgnoreCase(String.valueOf(p.get("backend"))))
                .min((a, b) -> Double.compare(Json.num(a.get("memoryMiB")), Json.num(b.get("memoryMiB"))))
                .map(p -> (long) Json.num(p.get("id")))
                .orElseThrow(() -> new IllegalStateException("no " + backend + " plan in the catalogue: " + plans));
    }

    record Run(double totalMs, Map<String, Double> phases) {}

    /** The server of the run in progress; deleted by a shutdown hook if the benchmark is interrupted. */
    private volatile Long inFlight;

    private void deleteOnInterrupt(Api api) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Long serverId = inFlight;
            if (serverId == null) return;
            try {
                System.err.println("interrupted: deleting server " + serverId);
                deleteAndWait(api, serverId);
            } catch (Exception e) {
                System.err.println("could not delete server " + serverId + ": " + e.getMessage());
            }
        }));
    }

    private Run provision(Api api, Session console, long planId, String hostname) throws Exception {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("planId", planId);
        order.put("hostname", hostname);
        order.put("template", template);
        order.put("rootPassword", password());
        order.put("sshKeys", List.of());

        Instant wallStart = Instant.now();
        long start = System.nanoTime();
        Map<String, Object> accepted = api.post("/api/servers", order, 202);
        long ordered = System.nanoTime();
        long serverId = (long) Json.num(accepted.get("serverId"));
        long jobId = (long) Json.num(accepted.get("jobId"));
        inFlight = serverId;
        try {
            long deadline = start + RUN_LIMIT.toNanos();
            while (true) {
                Map<String, Object> server = api.getMap("/api/servers/" + serverId);
                if ("ACTIVE".equals(server.get("status")) && "RUNNING".equals(server.get("powerState"))) break;
                if ("FAILED".equals(server.get("status"))) throw new IllegalStateException("server failed: " + api.get("/api/jobs/" + jobId));
                if (System.nanoTime() > deadline) throw new IllegalStateException("server not active in time: " + server);
                Thread.sleep(STATUS_POLL);
            }
            long active = System.nanoTime();
            Instant wallActive = wallStart.plusNanos(active - start);
            console.awaitConsolePrompt(serverId, hostname, Duration.ofNanos(deadline - active));
            long answered = System.nanoTime();

            // The server turns ACTIVE in the job's last step, a moment before the job itself is marked done.
            Map<String, Object> job = api.getMap("/api/jobs/" + jobId);
            while (!"SUCCEEDED".equals(job.get("status"))) {
                if ("FAILED".equals(job.get("status"))) throw new IllegalStateException("job failed: " + job);
                Thread.sleep(STATUS_POLL);
                job = api.getMap("/api/jobs/" + jobId);
            }
            Instant created = Instant.parse((String) job.get("createdAt"));
            Instant claimed = Instant.parse((String) job.get("startedAt"));
            Map<String, Double> phases = new LinkedHashMap<>();
            phases.put("order request (POST /api/servers)", ms(ordered - start));
            phases.put("job queued -> claimed by a worker", ms(created, claimed));
            // The server turns ACTIVE inside mark_active; the client's poll is timed from that step's start.
            Instant markActive = null;
            double inSteps = 0;
            for (Object s : Json.list(job.get("steps"))) {
                Map<String, Object> step = Json.map(s);
                String name = String.valueOf(step.get("step")).toLowerCase();
                Instant from = Instant.parse((String) step.get("startedAt"));
                if (name.equals("mark_active")) {
                    markActive = from;
                    break;
                }
                double took = ms(from, Instant.parse((String) step.get("finishedAt")));
                inSteps += took;
                phases.put("  step " + name, took);
            }
            if (markActive == null) throw new IllegalStateException("no mark_active step in " + job);
            phases.put("  job bookkeeping between steps", ms(claimed, markActive) - inSteps);
            phases.put("mark_active started -> client saw ACTIVE", ms(markActive, wallActive));
            phases.put("console: WebSocket open + prompt after Enter", ms(answered - active));
            return new Run(ms(answered - start), phases);
        } finally {
            deleteAndWait(api, serverId);
            inFlight = null;
        }
    }

    private static void deleteAndWait(Api api, long serverId) throws Exception {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        while (true) {
            Map<String, Object> server = api.getMap("/api/servers/" + serverId);
            if ("DELETED".equals(server.get("status"))) return;
            if (server.get("activeJobId") == null && !"DELETING".equals(server.get("status"))) {
                try {
                    api.delete("/api/servers/" + serverId);
                } catch (Api.Refused e) {
                    // 409: a job changed the server between the read and the delete; read again.
                    if (e.status != 409) throw e;
                }
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("server " + serverId + " not deleted in time: " + server);
            Thread.sleep(100);
        }
    }

    private void report(List<Run> runs) throws IOException {
        List<String> names = new ArrayList<>(runs.getFirst().phases().keySet());
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-46s %8s %8s %8s %8s%n", "order -> console (" + runs.size() + " runs, ms)", "median", "p90", "min", "max"));
        for (String name : names) {
            table.append(row(name, runs.stream().mapToDouble(r -> r.phases().getOrDefault(name, Double.NaN)).toArray()));
        }
        table.append(row("TOTAL order sent -> console prompt", runs.stream().mapToDouble(Run::totalMs).toArray()));
        System.out.print(table);
        Files.writeString(out.resolve("provision-table.txt"), table.toString());
        double[] totals = runs.stream().mapToDouble(Run::totalMs).toArray();
        Files.writeString(out.resolve("provision-summary.txt"),
                String.format("%d %.0f %.0f%n", runs.size(), percentile(totals, 50), percentile(totals, 90)));
    }

    private static String row(String name, double[] values) {
        return String.format("%-46s %8.0f %8.0f %8.0f %8.0f%n", name, percentile(values, 50), percentile(values, 90),
                Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN));
    }

    /** Nearest-rank percentile (the median of an even count is the lower middle value). */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)];
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    private static double ms(Instant from, Instant to) { return Duration.between(from, to).toNanos() / 1e6; }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value at " + args[i]);
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) throw new IllegalArgumentException("--" + name + " is required");
        return value;
    }

    /** A signed-in browser-like session: the panel's form login, its session cookie and CSRF token. */
    static final class Session {
        private static final Pattern CSRF = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");
        private final String base;
        private final HttpClient http;
        private final CookieManager cookies;

        private Session(String base, HttpClient http, CookieManager cookies) {
            this.base = base;
            this.http = http;
            this.cookies = cookies;
        }

        /** The session cookie as a request header value (for a load of session-authenticated reads). */
        String sessionCookie() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                    .map(c -> c.getName() + "=" + c.getValue()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no session cookie"));
        }

        static Session signIn(String base, String username, String password) throws Exception {
            CookieManager cookies = new CookieManager();
            HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
            Session session = new Session(base, http, cookies);
            String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(session.csrf("/login"));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String location = response.headers().firstValue("Location").orElse("");
            if (response.statusCode() != 302 || location.contains("error")) {
                throw new IllegalStateException("sign-in of " + username + " failed: " + response.statusCode() + " -> " + location);
            }
            return session;
        }

        /** The CSRF token the panel puts into its pages (needed for a session's changing API calls). */
        String csrf(String page) throws Exception {
            String html = http.send(HttpRequest.newBuilder(URI.create(base + page)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = CSRF.matcher(html);
            if (!m.find()) throw new IllegalStateException("no CSRF token in " + page);
            return m.group(1);
        }

        String createToken(String name) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tokens"))
                    .header("Content-Type", "application/json").header("X-CSRF-TOKEN", csrf("/"))
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("name", name)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) throw new IllegalStateException("token: " + response.statusCode() + " " + response.body());
            Map<String, Object> token = Json.map(Json.parse(response.body()));
            Object clear = token.containsKey("token") ? token.get("token") : token.get("clearToken");
            if (clear == null) throw new IllegalStateException("no clear token in " + response.body());
            return (String) clear;
        }

        /** Opens the console WebSocket, presses Enter and returns once the guest prints a fresh login prompt. */
        void awaitConsolePrompt(long serverId, String hostname, Duration limit) throws Exception {
            String prompt = hostname + " login: ";
            StringBuilder seen = new StringBuilder();
            CompletableFuture<Void> prompted = new CompletableFuture<>();
            CompletableFuture<Void> answered = new CompletableFuture<>();
            int[] promptsBefore = {-1};
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    return received(ws, StandardCharsets.UTF_8.decode(data).toString());
                }

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    return received(ws, data.toString());
                }

                private CompletionStage<?> received(WebSocket ws, String text) {
                    synchronized (seen) {
                        seen.append(text);
                        int prompts = count(seen, prompt);
                        if (prompts > 0) prompted.complete(null);
                        if (promptsBefore[0] >= 0 && prompts > promptsBefore[0]) answered.complete(null);
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    IllegalStateException closed = new IllegalStateException("console closed: " + status + " " + reason + " after " + seen);
                    prompted.completeExceptionally(closed);
                    answered.completeExceptionally(closed);
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    prompted.completeExceptionally(error);
                    answered.completeExceptionally(error);
                }
            };
            String wsBase = base.replaceFirst("^http", "ws");
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(wsBase + "/console/ws/" + serverId), listener).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            try {
                // First the prompt the guest printed at boot (replayed from the scrollback, or live), then Enter
                // must bring a prompt that was not there before: the guest's console answered the keystroke.
                try {
                    prompted.get(limit.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    synchronized (seen) {
                        throw new IllegalStateException("no '" + prompt + "' on the console within " + limit + "; it showed: "
                                + seen.substring(Math.max(0, seen.length() - 2000)), e);
                    }
                }
                synchronized (seen) {
                    promptsBefore[0] = count(seen, prompt);
                }
                ws.sendText("\r", true).get(5, TimeUnit.SECONDS);
                answered.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
            }
        }

        private static int count(CharSequence text, String needle) {
            int n = 0;
            for (int i = text.toString().indexOf(needle); i >= 0; i = text.toString().indexOf(needle, i + 1)) n++;
            return n;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** REST calls with an API token, as an API client (or the panel's scripts) would make them. */
    static final class Api {
        private final String base;
        private final String token;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();

        Api(String base, String token) {
            this.base = base;
            this.token = token;
        }

        Object get(String path) throws Exception {
            return Json.parse(send(HttpRequest.newBuilder(URI.create(base + path)).GET(), 200));
        }

        Map<String, Object> getMap(String path) throws Exception {
            return Json.map(get(path));
        }

        Map<String, Object> post(String path, Object body, int expected) throws Exception {
            return Json.map(Json.parse(send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))), expected)));
        }

        void delete(String path) throws Exception {
            send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), 202);
        }

        static final class Refused extends IllegalStateException {
            final int status;

            Refused(int status, String message) {
                super(message);
                this.status = status;
            }
        }

        private String send(HttpRequest.Builder request, int expected) throws Exception {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new Refused(response.statusCode(), request.build().method() + " " + request.build().uri().getPath()
                        + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        }
    }
}
