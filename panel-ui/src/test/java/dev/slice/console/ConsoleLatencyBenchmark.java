package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.order.OrderRequest;
import dev.slice.order.OrderService;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Benchmark, not a test (surefire's default run skips the name): the round trip of one console command through
 * the panel, measured in the browser. A page of the signed-in customer opens {@code /console/ws/{id}} as the
 * terminal does, logs in as root, then {@value #ROUNDS} times sends {@code echo m<i>} + Enter and waits for the
 * line {@code m<i>} to come back: browser -> WebSocket -> panel handler -> runc console -> bash (builtin echo)
 * -> back. Prints the figures; run it with
 * {@code ./mvnw -pl panel-ui test -Dtest=ConsoleLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@PanelAppTest
class ConsoleLatencyBenchmark {

    private static final int WARM_UP = 10;
    private static final int ROUNDS = 200;
    private static final String PASSWORD = "Bench-Console-Pass-5";

    @Autowired PanelFixture fixture;
    @Autowired OrderService orders;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    @Test
    void commandRoundTripThroughTheConsoleWebSocket() {
        Actor customer = fixture.customer("bench");
        long serverId = orders.order(customer, new OrderRequest(fixture.smallContainerPlan(customer).id(), "bench1", "debian-12",
                PASSWORD, List.of(), null)).serverId();
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelFixture.waitUntil(Duration.ofMinutes(3), () -> servers.get(customer, serverId).activeJobId() == null, "provisioned");
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(customer.username(), PanelFixture.PASSWORD);
            pages.open("/servers");
            chromium.driver().manage().timeouts().scriptTimeout(Duration.ofMinutes(2));
            JavascriptExecutor js = (JavascriptExecutor) chromium.driver();
            List<Number> millis;
            try {
                @SuppressWarnings("unchecked")
                List<Number> result = (List<Number>) js.executeAsyncScript(SCRIPT, serverId, PASSWORD, WARM_UP, ROUNDS);
                millis = result;
            } catch (org.openqa.selenium.ScriptTimeoutException e) {
                throw new AssertionError("the console stopped answering while waiting for "
                        + js.executeScript("return window.sliceBench.waitingFor + ' in: ' + JSON.stringify(window.sliceBench.text())"), e);
            }
            List<Double> sorted = new ArrayList<>(millis.stream().map(Number::doubleValue).sorted().toList());
            assertThat(sorted).hasSize(ROUNDS);
            System.out.printf(Locale.ROOT, "console round trip over %d commands: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ROUNDS, at(sorted, 0.5), at(sorted, 0.9), at(sorted, 0.99), sorted.getLast());
        } finally {
            fixture.deleteAndWait(serverId);
        }
    }

    private static double at(List<Double> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(quantile * sorted.size())));
    }

    /** Runs in the page: sign in on the console, then time the commands; resolves with the times in ms. */
    private static final String SCRIPT = """
            const [serverId, password, warmUp, rounds] = arguments;
            const done = arguments[arguments.length - 1];
            const socket = new WebSocket('ws://' + location.host + '/console/ws/' + serverId);
            socket.binaryType = 'arraybuffer';
            const decoder = new TextDecoder();
            let text = '';
            let waiter = null;
            socket.onmessage = (e) => {
              text += typeof e.data === 'string' ? e.data : decoder.decode(new Uint8Array(e.data), {stream: true});
              if (waiter && waiter.test(text)) { const w = waiter; waiter = null; w.resolve(); }
            };
            const until = (pattern) => new Promise((resolve) => {
              window.sliceBench = { waitingFor: String(pattern), text: () => text };
              waiter = { test: (t) => pattern.test(t), resolve };
              waiter.test(text) && (waiter = null, resolve());
            });
            socket.onerror = () => done(['socket refused']);
            socket.onopen = async () => {
              socket.send('\\r');
              await until(/login: ?$/m);
              text = ''; socket.send('root\\r');
              await until(/Password: ?$/m);
              text = ''; socket.send(password + '\\r');
              await until(/# ?$/m);
              const times = [];
              for (let i = 0; i < warmUp + rounds; i++) {
                text = '';
                const t0 = performance.now();
                socket.send('echo m' + i + '\\r');
                // bash may wrap its output in bracketed-paste escapes: the answer is 'm<i>' at the start of a line
                await until(new RegExp('[\\\\r\\\\n]m' + i + '\\\\r\\\\n'));
                if (i >= warmUp) times.push(performance.now() - t0);
              }
              socket.close();
              done(times);
            };
            """;
}
