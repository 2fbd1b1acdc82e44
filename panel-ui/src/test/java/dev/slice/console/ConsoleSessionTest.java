package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.PanelHttp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console as a session with a real runc guest over a real WebSocket and in a real browser: the terminal's size
 * reaches the guest's tty ({@code stty size}), a new attachment starts with the recent output without a key pressed,
 * a malformed message is refused naming its field, an underscore is drawn, and the terminal reconnects by itself
 * when the guest reboots.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSessionTest {

    private static final String ROOT_PASSWORD = "Console-Size-Pass-5";
    private static final Pattern SHELL = Pattern.compile("root@term[^\\n]*[#$] ?$", Pattern.MULTILINE);

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    private Actor owner;
    private long serverId;

    @BeforeAll
    void ownerHasARunningContainer() {
        owner = fixture.customer("term");
        serverId = fixture.runningContainer(owner, "term.example.com", ROOT_PASSWORD);
    }

    @AfterAll
    void cleanUp() {
        if (serverId != 0) fixture.deleteAndWait(serverId);
    }

    @Test
    @Order(1)
    void aResizeReachesTheGuestsTerminal() throws Exception {
        Console console = open();
        try {
            console.type("\r");
            console.await(Pattern.compile("login: ?$", Pattern.MULTILINE), Duration.ofMinutes(1));
            console.type("root\r");
            console.await(Pattern.compile("Password: ?$", Pattern.MULTILINE), Duration.ofSeconds(30));
            console.type(ROOT_PASSWORD + "\r");
            console.await(SHELL, Duration.ofSeconds(30));

            console.control("{\"type\":\"resize\",\"rows\":40,\"cols\":127}");
            console.type("stty size\r");
            console.await(Pattern.compile("^40 127\\r?$", Pattern.MULTILINE), Duration.ofSeconds(15));

            console.control("{\"type\":\"resize\",\"rows\":31,\"cols\":99}");
            console.type("stty size\r");
            console.await(Pattern.compile("^31 99\\r?$", Pattern.MULTILINE), Duration.ofSeconds(15));
        } finally {
            console.socket.abort();
        }
    }

    @Test
    @Order(2)
    void aNewAttachmentStartsWithTheRecentOutputWithoutAKeyPressed() throws Exception {
        Console first = open();
        first.type("echo \"marker-$((6*7))\"\r");
        first.await(Pattern.compile("^marker-42\\r?$", Pattern.MULTILINE), Duration.ofSeconds(15));
        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

        Console second = open();
        try {
            second.await(Pattern.compile("^marker-42\\r?$", Pattern.MULTILINE), Duration.ofSeconds(15));
        } finally {
            second.socket.abort();
        }
    }

    @Test
    @Order(3)
    void aMalformedMessageEndsTheSocketNamingTheField() throws Exception {
        Console console = open();
        console.control("{\"type\":\"resize\",\"rows\":0,\"cols\":80}");
        assertThat(console.closed.get(10, TimeUnit.SECONDS))
                .isEqualTo(new Closed(1007, "field 'rows' must be a whole number 1..1000"));
    }

    @Test
    @Order(4)
    void inTheBrowserTheSizeFollowsTheWindowUnderscoresShowAndARebootIsSurvived() throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            JavascriptExecutor js = chromium.driver();
            pages.signIn(owner.username(), PanelFixture.PASSWORD);
            pages.open("/server/" + serverId);
            pages.waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state")) ? true : null);
            pages.recordConsoleStates(serverId);
            // The shell from the tests above is still logged in on the console: its output is replayed at once.
            pages.waitForConsole(serverId, Pattern.compile("marker-42"), Duration.ofSeconds(15));

            String first = assertTheGuestSeesTheTerminalsSize(pages, js, null);
            chromium.driver().manage().window().setSize(new Dimension(900, 700));
            assertTheGuestSeesTheTerminalsSize(pages, js, first);

            pages.typeIntoConsole(serverId, "clear; echo x86_64", Keys.ENTER);
            pages.waitForConsole(serverId, Pattern.compile("^x86_64\\s*$", Pattern.MULTILINE), Duration.ofSeconds(15));
            assertTheUnderscoreIsDrawn(chromium, js);

            servers.reboot(owner, serverId);
            // The guest's console ends with its init; the terminal says so, tries again, and shows the new boot's
            // login prompt (replayed on attach) without a key pressed.
            String shown = pages.awaitConsoleReconnected(serverId, Pattern.compile("login: ?$", Pattern.MULTILINE),
                    Duration.ofMinutes(2));
            assertThat(shown).contains("console closed by the guest side", "reconnecting in");
            chromium.screenshot("console-after-reboot");
            assertThat(pages.consoleText(serverId)).doesNotContain("x86_64");
            // And the reconnected terminal takes keystrokes: the new boot's shell answers.
            pages.logInAsRoot(serverId, "term.example.com", ROOT_PASSWORD, Duration.ofMinutes(1));
            pages.typeIntoConsole(serverId, "echo \"after-$((6*7))\"", Keys.ENTER);
            pages.waitForConsole(serverId, Pattern.compile("^after-42\\s*$", Pattern.MULTILINE), Duration.ofSeconds(15));
        }
    }

    /** Waits until the terminal's size is not {@code previous} any more, and checks that the guest's tty has it. */
    private String assertTheGuestSeesTheTerminalsSize(PanelPages pages, JavascriptExecutor js, String previous) {
        String size = pages.waitFor(d -> {
            String now = String.valueOf(js.executeScript(
                    "const t = document.getElementById(arguments[0]).$sliceTerm; return t.rows + ' ' + t.cols;", "console-" + serverId));
            return now.equals(previous) ? null : now;
        });
        assertThat(size).isNotEqualTo("24 80");
        pages.typeIntoConsole(serverId, "clear; stty size", Keys.ENTER);
        pages.waitForConsole(serverId, Pattern.compile("^" + size + "\\s*$", Pattern.MULTILINE), Duration.ofSeconds(15));
        return size;
    }

    /** The underscore's cell of the row that reads {@code x86_64} has lit pixels near its bottom, as drawn on screen. */
    private void assertTheUnderscoreIsDrawn(HeadlessChromium chromium, JavascriptExecutor js) throws Exception {
        WebElement row = (WebElement) js.executeScript("return [...document.querySelectorAll('#console-' + arguments[0]"
                + " + ' .xterm-rows > div')].find(r => r.textContent.trimEnd() === 'x86_64');", serverId);
        assertThat(row).as("the row showing x86_64").isNotNull();
        List<?> metrics = (List<?>) js.executeScript("const host = document.getElementById('console-' + arguments[1]);"
                + "const t = host.$sliceTerm; const screen = host.querySelector('.xterm-screen').getBoundingClientRect();"
                + "const r = arguments[0].getBoundingClientRect(); return [screen.width / t.cols, r.left - screen.left, r.width];",
                row, serverId);
        double cell = ((Number) metrics.get(0)).doubleValue();
        double rowLeft = ((Number) metrics.get(1)).doubleValue();
        double rowWidth = ((Number) metrics.get(2)).doubleValue();
        chromium.screenshot("console-underscore");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(row.getScreenshotAs(OutputType.BYTES)));
        double scale = image.getWidth() / rowWidth;
        int from = (int) Math.round((3 * cell - rowLeft) * scale);
        int to = (int) Math.round((4 * cell - rowLeft) * scale);
        int lit = 0;
        int lowest = -1;
        for (int x = from + 1; x < to - 1; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y);
                int light = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                if (light > 3 * 100) {
                    lit++;
                    lowest = Math.max(lowest, y);
                }
            }
        }
        assertThat(lit).as("lit pixels in the underscore's cell").isGreaterThanOrEqualTo(3);
        assertThat(lowest).as("the underscore's lowest lit pixel (row %d px high)", image.getHeight())
                .isGreaterThan(image.getHeight() / 2);
    }

    record Closed(int code, String reason) {}

    private Console open() throws Exception {
        PanelHttp session = new PanelHttp(port, null);
        assertThat(session.signIn(owner.username(), PanelFixture.PASSWORD).headers().firstValue("Location").orElseThrow())
                .doesNotContain("error");
        Console console = new Console();
        console.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", session.sessionCookie())
                .subprotocols(ConsoleMessage.PROTOCOL).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/console/ws/" + serverId), console).get(30, TimeUnit.SECONDS);
        assertThat(console.socket.getSubprotocol()).isEqualTo(ConsoleMessage.PROTOCOL);
        return console;
    }

    /** A console socket speaking the terminal's sub-protocol: keystrokes as binary frames, control as JSON text. */
    private static final class Console implements WebSocket.Listener {
        final StringBuilder text = new StringBuilder();
        final CompletableFuture<Closed> closed = new CompletableFuture<>();
        WebSocket socket;

        void type(String keys) throws Exception {
            socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
        }

        void control(String json) throws Exception {
            socket.sendText(json, true).get(10, TimeUnit.SECONDS);
        }

        void await(Pattern pattern, Duration limit) {
            PanelFixture.waitUntil(limit, () -> pattern.matcher(text()).find(), pattern + " on the console, which shows:\n" + text());
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

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
    }
}
