package dev.slice.browser;

import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
        waitFor(d -> d.findElement(By.id(id))).click();
        waitForVaadin();
    }

    public String text(String id) {
        return waitFor(d -> d.findElement(By.id(id))).getText();
    }

    /** The error message Vaadin shows under a field (its error-message slot), or "" when none. */
    public String fieldError(String fieldId) {
        WebElement field = waitFor(d -> d.findElement(By.id(fieldId)));
        String invalid = field.getDomAttribute("invalid");
        if (invalid == null) return "";
        Object message = ((JavascriptExecutor) driver).executeScript("return arguments[0].errorMessage || ''", field);
        return String.valueOf(message);
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(condition, Duration.ofSeconds(30));
    }

    public <T> T waitFor(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Waits until Vaadin has no pending server round trip. */
    public void waitForVaadin() {
        waitFor(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const c = window.Vaadin && window.Vaadin.Flow && window.Vaadin.Flow.clients;"
                        + "if (!c) return document.readyState === 'complete';"
                        + "return Object.values(c).every(x => !x.isActive || !x.isActive());") ? true : null);
    }
}
