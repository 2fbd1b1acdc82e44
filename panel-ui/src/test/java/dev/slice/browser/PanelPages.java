package dev.slice.browser;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Small steps the browser tests take on the panel: sign in, find Vaadin fields, wait for text. */
public final class PanelPages {

    private final WebDriver driver;
    private final String baseUrl;

    public PanelPages(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    public void open(String path) {
        driver.get(baseUrl + path);
        waitForVaadin();
    }

    public void signIn(String username, String password) {
        open("/login");
        WebElement user = waitFor(d -> d.findElement(By.cssSelector("vaadin-login-form input[name=username]")));
        user.sendKeys(username);
        driver.findElement(By.cssSelector("vaadin-login-form input[name=password]")).sendKeys(password);
        driver.findElement(By.cssSelector("vaadin-login-form vaadin-button[slot=submit]")).click();
        waitFor(d -> d.findElements(By.id("signed-in-user")).isEmpty() ? null : true);
    }

    /** Types into the input of a Vaadin text field / password field / text area by the component's id. */
    public void type(String fieldId, String text) {
        WebElement field = waitFor(d -> d.findElement(By.id(fieldId)));
        WebElement input = field.findElement(By.cssSelector("input, textarea"));
        input.clear();
        input.sendKeys(text);
    }

    public void click(String id) {
        WebElement element = waitFor(d -> d.findElement(By.id(id)));
        // Keep it clear of the fixed navigation bar, which would otherwise take the click.
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
        waitForVaadin();
    }

    public String text(String id) {
        return waitFor(d -> d.findElement(By.id(id))).getText();
    }

    /**
     * The element's text content wherever it is on the page: {@link #text} is Selenium's visible text, which is empty
     * for an element scrolled above the top of the panel's content area. That area (the app layout's content part, in
     * its shadow root) scrolls, the document does not, and Selenium counts an element above the window's top as hidden
     * unless the document could scroll up to it; an element below the fold keeps its text.
     */
    public String content(String id) {
        return String.valueOf(waitFor(d -> d.findElement(By.id(id))).getDomProperty("textContent")).strip();
    }

    /** Whether a Vaadin component is enabled: Selenium's isEnabled() is true for any custom element, disabled or not. */
    public boolean enabled(String id) {
        return waitFor(d -> d.findElement(By.id(id))).getDomAttribute("disabled") == null;
    }

    /** The error message Vaadin shows under a field (its error-message slot), or "" when none. */
    public String fieldError(String fieldId) {
        WebElement field = waitFor(d -> d.findElement(By.id(fieldId)));
        String invalid = field.getDomAttribute("invalid");
        if (invalid == null) return "";
        Object message = ((JavascriptExecutor) driver).executeScript("return arguments[0].errorMessage || ''", field);
        return String.valueOf(message);
    }

    /** The texts of a Vaadin grid's rendered cells (header and body), in document order. */
    public java.util.List<String> gridCells(String gridId) {
        waitForVaadin();
        return waitFor(d -> d.findElement(By.id(gridId))).findElements(By.cssSelector("vaadin-grid-cell-content"))
                .stream().map(e -> e.getText().strip()).toList();
    }

    /** Waits until a grid shows a cell with exactly this text. */
    public void waitForGridCell(String gridId, String text) {
        waitFor(d -> gridCells(gridId).contains(text) ? true : null);
    }

    /** Presses a ConfirmDialog's confirm button. */
    public void confirm() {
        waitFor(d -> d.findElement(By.cssSelector("vaadin-confirm-dialog vaadin-button[slot=confirm-button]"))).click();
        waitForVaadin();
    }

    /** Types into the browser console of a server (xterm.js's input element), as a person would. */
    public void typeIntoConsole(long serverId, CharSequence... keys) {
        WebElement input = waitFor(d -> d.findElement(By.cssSelector("#console-" + serverId + " .xterm-helper-textarea")));
        input.sendKeys(keys);
    }

    /** The browser console's text as shown on screen, scrollback included. */
    public String consoleText(long serverId) {
        WebElement host = driver.findElement(By.id("console-" + serverId));
        return String.valueOf(((JavascriptExecutor) driver).executeScript("return window.sliceConsole.text(arguments[0])", host));
    }

    /** Waits until the console shows text matching the pattern, and returns the whole text. */
    public String waitForConsole(long serverId, Pattern pattern, Duration timeout) {
        return waitFor(d -> {
            String text = consoleText(serverId);
            return pattern.matcher(text).find() ? text : null;
        }, timeout);
    }

    /**
     * Opens the console WebSocket of a server from this browser's session, the way the panel's page
     * connects, and reports "open" or "refused" (the handshake was rejected).
     */
    public String tryConsoleSocket(long serverId) {
        return String.valueOf(((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/console/ws/' + arguments[0];"
                        + "const socket = new WebSocket(url);"
                        + "let settled = false;"
                        + "socket.onopen = () => { if (!settled) { settled = true; socket.close(); done('open'); } };"
                        + "socket.onerror = () => { if (!settled) { settled = true; done('refused'); } };",
                serverId));
    }

    /**
     * Waits for the guest's getty and logs in as root, answering whichever prompt the console ends with.
     * An emulated guest may still be booting when the terminal attaches, and a prompt printed before that is
     * not replayed: Enter asks again. PAM prints "Password:" before it turns echo off with TCSAFLUSH, so on a
     * slow guest a password typed at once can be flushed: a prompt left unanswered for a while is answered again.
     */
    public void logInAsRoot(long serverId, String hostname, String password, Duration limit) {
        waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state")) ? true : null,
                Duration.ofMinutes(1));
        String shortName = hostname.contains(".") ? hostname.substring(0, hostname.indexOf('.')) : hostname;
        Pattern shell = Pattern.compile("root@" + shortName + "[^\\n]*[#$] ?$", Pattern.MULTILINE);
        Pattern login = Pattern.compile("login: ?$");
        Pattern passwordPrompt = Pattern.compile("Password: ?$");
        Instant end = Instant.now().plus(limit);
        Instant answered = Instant.MIN;
        String text = consoleText(serverId);
        while (!shell.matcher(text).find()) {
            if (Instant.now().isAfter(end)) {
                showConsole(serverId);
                HeadlessChromium.saveScreenshot(driver, "console-no-shell-" + serverId);
                throw new AssertionError("no root shell on the console of server " + serverId + " within " + limit + ":\n" + text);
            }
            if (Duration.between(answered, Instant.now()).compareTo(Duration.ofSeconds(15)) > 0) {
                String tail = text.stripTrailing();
                tail = tail.substring(Math.max(0, tail.length() - 40)) + " ";
                if (login.matcher(tail).find()) typeIntoConsole(serverId, "root", Keys.ENTER);
                else if (passwordPrompt.matcher(tail).find()) typeIntoConsole(serverId, password, Keys.ENTER);
                else typeIntoConsole(serverId, Keys.ENTER);
                answered = Instant.now();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            String before = text;
            text = consoleText(serverId);
            // A prompt that just appeared is answered at once; the wait above is only for unanswered ones.
            if (!text.equals(before) && (login.matcher(text.stripTrailing() + " ").find()
                    || passwordPrompt.matcher(text.stripTrailing() + " ").find())) {
                answered = Instant.MIN;
            }
        }
    }

    /** From now on, records each state the server's console shows ("reconnecting: Disconnected: ..."), for {@link #consoleStates}. */
    public void recordConsoleStates(long serverId) {
        ((JavascriptExecutor) driver).executeScript("const host = document.getElementById(arguments[0]); window.__states = [];"
                + "new MutationObserver(() => window.__states.push(host.dataset.state + ': '"
                + " + host.querySelector('.slice-console-state').textContent))"
                + ".observe(host, {attributes: true, attributeFilter: ['data-state']});", "console-" + serverId);
    }

    public java.util.List<String> consoleStates() {
        return ((java.util.List<?>) ((JavascriptExecutor) driver).executeScript("return window.__states || []")).stream()
                .map(String::valueOf).toList();
    }

    /**
     * After the guest went away (a reboot): waits until the console said it was closed by the guest side and would
     * reconnect, then until it is open again, without a reload or a key pressed, showing text that matches
     * {@code shown} (the new boot's login prompt). Returns the first reconnecting state it showed.
     * {@link #recordConsoleStates} must have been called before the guest went away.
     */
    public String awaitConsoleReconnected(long serverId, Pattern shown, Duration limit) {
        String reconnecting = waitFor(d -> consoleStates().stream().filter(state -> state.startsWith("reconnecting"))
                .findFirst().orElse(null), Duration.ofMinutes(1));
        waitFor(d -> "open".equals(d.findElement(By.id("console-" + serverId)).getDomAttribute("data-state"))
                && shown.matcher(consoleText(serverId)).find() ? true : null, limit);
        return reconnecting;
    }

    /** The console is the page's last section: brings its bottom, where the latest output is, into view. */
    public void showConsole(long serverId) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'end'})",
                driver.findElement(By.id("console-" + serverId)));
    }

    /** Waits for a notification (shown outside the view, in Vaadin's notification cards) that contains {@code text}. */
    public String waitForNotice(String text) {
        return waitFor(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                .map(card -> card.getDomProperty("textContent")).filter(t -> t != null && t.contains(text)).findFirst().orElse(null));
    }

    /** Picks the item with this label in a Vaadin select, by the component's id. */
    public void choose(String selectId, String label) {
        click(selectId);
        WebElement item = waitFor(d -> d.findElements(By.cssSelector("vaadin-select-item")).stream()
                .filter(e -> e.getText().strip().equals(label)).findFirst().orElse(null));
        item.click();
        waitForVaadin();
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(condition, Duration.ofSeconds(30));
    }

    public <T> T waitFor(Function<WebDriver, T> condition, Duration timeout) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            // What the page showed when the wait gave up is the first thing to look at.
            HeadlessChromium.saveScreenshot(driver, "timeout-" + System.currentTimeMillis());
            throw e;
        }
    }

    /** Waits until Vaadin has no pending server round trip. */
    public void waitForVaadin() {
        waitFor(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const c = window.Vaadin && window.Vaadin.Flow && window.Vaadin.Flow.clients;"
                        + "if (!c) return document.readyState === 'complete';"
                        + "return Object.values(c).every(x => !x.isActive || !x.isActive());") ? true : null);
    }
}
