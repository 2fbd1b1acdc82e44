package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.slice.account.AccountManagement;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.server.ServerService;
import dev.slice.server.ServerStatus;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A console socket lives only as long as its user's right to it, against a real runc guest over a real WebSocket:
 * disabling the account, changing its password, suspending and deleting the server each close it at once with a
 * reason; a change made behind the services' back is caught by the periodic re-check. Refused handshakes (a foreign
 * or {@code null} Origin, an account with a one-time password still to replace) are a quiet 403, and the page's Content-Security-Policy leaves the console and the chart
 * working.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRevocationTest {

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @Autowired AccountService accounts;
    @Autowired AccountManagement management;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    private Actor owner;
    private long serverId;
    private String password = PanelFixture.PASSWORD;

    @BeforeAll
    void ownerHasARunningServer() {
        owner = fixture.customer("revoked");
        serverId = orders.order(owner, new OrderRequest(fixture.smallContainerPlan(owner).id(), "revoked.example.com", "debian-12",
                "Revoked-Console-Pass-4", List.of(), null)).serverId();
        PanelFixture.waitUntil(Duration.ofMinutes(3), () -> servers.get(owner, serverId).activeJobId() == null, "server provisioned");
        assertThat(servers.get(owner, serverId).status()).isEqualTo(ServerStatus.ACTIVE);
    }

    @AfterAll
    void cleanUp() {
        fixture.deleteAndWait(serverId);
    }

    @Test
    @Order(1)
    void thePagesContentSecurityPolicyLeavesTheConsoleAndTheChartWorking() {
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            // Collected from the first script of every page on, before Vaadin's own scripts run.
            chromium.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                    "window.__cspViolations = []; document.addEventListener('securitypolicyviolation',"
                            + " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"));
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(owner.username(), password);
            pages.open("/server/" + serverId);
            pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state")) ? true : null);
            pages.typeIntoConsole(serverId, Keys.ENTER);
            pages.waitForConsole(serverId, Pattern.compile("login: ?$", Pattern.MULTILINE), Duration.ofMinutes(1));
            pages.waitFor(d -> {
                String points = d.findElement(By.id("usage-chart")).getDomAttribute("data-points");
                return points != null && Integer.parseInt(points) >= 2 ? true : null;
            });
            assertThat(chromium.driver().findElements(By.cssSelector("#usage-chart canvas"))).hasSize(1);
            chromium.screenshot("console-under-csp");
            Object violations = chromium.driver().executeScript("return window.__cspViolations");
            assertThat((List<?>) violations).as("Content-Security-Policy violations").isEmpty();
        }
    }

    @Test
    @Order(2)
    void disablingTheAccountClosesItsOpenConsole() throws Exception {
        Console console = openConsole(signedIn());
        accounts.setEnabled(fixture.operator(), owner.accountId(), false);
        try {
            assertThat(console.closed()).isEqualTo(new Closed(1008, "signed out: the account was disabled"));
        } finally {
            accounts.setEnabled(fixture.operator(), owner.accountId(), true);
        }
    }

    @Test
    @Order(3)
    void changingThePasswordClosesItsOpenConsole() throws Exception {
        Console console = openConsole(signedIn());
        password = "Changed-Console-Pass-8";
        accounts.changePassword(fixture.operator(), owner.accountId(), password);
        assertThat(console.closed()).isEqualTo(new Closed(1008, "signed out: the account's password was changed"));
        // A password set by someone else is replaced by its owner before any console opens again (see below).
        management.changeOwnPassword(owner, "127.0.0.1", password, "Owners-Console-Pass-8");
        password = "Owners-Console-Pass-8";
    }

    @Test
    @Order(4)
    void aChangeBehindTheServicesBackIsCaughtByThePeriodicRecheck() throws Exception {
        Console console = openConsole(signedIn());
        jdbc.sql("update account set enabled = false where id = ?").param(owner.accountId()).update();
        try {
            assertThat(console.closedWithin(Duration.ofSeconds(40))).isEqualTo(new Closed(1008, "signed out: the account was disabled"));
        } finally {
            jdbc.sql("update account set enabled = true where id = ?").param(owner.accountId()).update();
        }
    }

    @Test
    @Order(5)
    void suspendingTheServerClosesItsConsoleAndKeepsItsCustomerOut() throws Exception {
        PanelHttp session = signedIn();
        Console console = openConsole(session);
        servers.suspend(fixture.operator(), serverId);
        assertThat(console.closed()).isEqualTo(new Closed(1008, "the server was suspended"));
        assertThat(handshakeStatus(session, null)).as("a suspended server's console, for its customer").isEqualTo(409);
        PanelFixture.waitUntil(Duration.ofMinutes(2), () -> servers.get(owner, serverId).activeJobId() == null, "stopped");
        servers.unsuspend(fixture.operator(), serverId);
        PanelFixture.waitUntil(Duration.ofMinutes(2), () -> servers.get(owner, serverId).activeJobId() == null, "started again");
    }

    @Test
    @Order(6)
    void aForeignOrNullOriginIsAQuiet403() {
        PanelHttp session = signedIn();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            assertThat(handshakeStatus(session, "null")).isEqualTo(403);
            assertThat(handshakeStatus(session, "https://attacker.example")).isEqualTo(403);
        } finally {
            root.detachAppender(logged);
        }
        // What the web stack and the console log about these requests (not the job worker's or reconciler's chatter).
        List<ILoggingEvent> web = logged.list.stream().filter(e -> List.of("org.apache.", "org.springframework.", "dev.slice.console.",
                "dev.slice.security.", "com.vaadin.").stream().anyMatch(e.getLoggerName()::startsWith)).toList();
        assertThat(web).noneSatisfy(e -> assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).isTrue());
        assertThat(web).noneSatisfy(e -> assertThat(e.getThrowableProxy()).isNotNull());
        assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("Origin 'null' is not the panel's"));
        assertThat(handshakeStatus(session, "http://127.0.0.1:" + port)).as("the panel's own origin").isEqualTo(101);
    }

    @Test
    @Order(7)
    void aPendingOneTimePasswordKeepsTheConsoleShutUntilItIsReplaced() {
        password = management.resetPassword(fixture.operator(), owner.accountId());
        PanelHttp session = signedIn();
        assertThat(handshakeStatus(session, null)).as("a console with a one-time password still to replace").isEqualTo(403);
        String own = "Own-Console-Pass-9";
        HttpResponse<String> changed = session.postJson("/api/me/password",
                "{\"currentPassword\":\"" + password + "\",\"newPassword\":\"" + own + "\"}", "X-CSRF-TOKEN", session.csrfToken());
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);
        password = own;
        // The session that changed the password goes on, and may now open the console.
        assertThat(handshakeStatus(session, null)).isEqualTo(101);
    }

    @Test
    @Order(8)
    void deletingTheServerClosesItsConsole() throws Exception {
        Console console = openConsole(signedIn());
        servers.delete(fixture.operator(), serverId);
        assertThat(console.closed()).isEqualTo(new Closed(1008, "the server is being deleted"));
    }

    private PanelHttp signedIn() {
        PanelHttp session = new PanelHttp(port, null);
        assertThat(session.signIn(owner.username(), password).headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return session;
    }

    record Closed(int code, String reason) {}

    /** A console socket opened like the terminal does, that has shown the guest's login prompt. */
    private final class Console implements WebSocket.Listener {
        final StringBuilder text = new StringBuilder();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            synchronized (text) {
                text.append(StandardCharsets.UTF_8.decode(data));
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            synchronized (text) {
                text.append(data);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            closed.complete(new Closed(code, reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }

        Closed closed() throws Exception {
            return closedWithin(Duration.ofSeconds(10));
        }

        Closed closedWithin(Duration limit) throws Exception {
            return closed.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }
    }

    private Console openConsole(PanelHttp session) throws Exception {
        Console console = new Console();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", session.sessionCookie())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/console/ws/" + serverId), console).get(30, TimeUnit.SECONDS);
        socket.sendText("\r", true).get(10, TimeUnit.SECONDS);
        PanelFixture.waitUntil(Duration.ofMinutes(1), () -> Pattern.compile("login: ?$", Pattern.MULTILINE).matcher(console.text()).find(),
                "the guest's login prompt on the console");
        assertThat(console.closed).isNotDone();
        return console;
    }

    /** The HTTP status of a console handshake with this Origin (none if null): 101 when it opened. */
    private int handshakeStatus(PanelHttp session, String origin) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", session.sessionCookie())
                .connectTimeout(Duration.ofSeconds(10));
        if (origin != null) builder.header("Origin", origin);
        try {
            WebSocket socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/console/ws/" + serverId), new WebSocket.Listener() {})
                    .get(30, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) return refused.getResponse().statusCode();
            throw new AssertionError("handshake failed otherwise", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
