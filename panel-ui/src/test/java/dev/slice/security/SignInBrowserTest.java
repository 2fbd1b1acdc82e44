package dev.slice.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Signing in and out against the accounts in PostgreSQL: wrong passwords and disabled accounts stay out. */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @LocalServerPort int port;

    private HeadlessChromium chromium;
    private PanelPages pages;

    @BeforeAll
    void browser() {
        chromium = new HeadlessChromium();
        pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
    }

    @AfterAll
    void close() {
        chromium.close();
    }

    @Test
    void aSignedOutVisitorIsSentToTheSignInPage() {
        chromium.driver().manage().deleteAllCookies();
        pages.open("/servers");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);
        assertThat(chromium.driver().findElements(By.id("servers"))).isEmpty();
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneLetsTheCustomerInAndOutAgain() {
        Actor customer = fixture.customer("gina");
        chromium.driver().manage().deleteAllCookies();
        trySignIn(customer.username(), "Not-Her-Password-1");
        pages.waitFor(d -> d.getCurrentUrl().contains("/login?error") ? true : null);
        pages.waitFor(d -> d.findElement(By.tagName("vaadin-login-form")).getDomAttribute("error") != null ? true : null);
        pages.waitFor(d -> customer.username().equals(d.findElement(By.cssSelector("vaadin-login-form input[name=username]"))
                .getDomProperty("value")) ? true : null);
        chromium.screenshot("sign-in-error");

        pages.signIn(customer.username(), PanelFixture.PASSWORD);
        assertThat(pages.text("signed-in-user")).isEqualTo(customer.username());
        pages.click("sign-out");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);
        pages.open("/servers");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);
    }

    @Test
    void aDisabledAccountCannotSignIn() {
        Actor customer = fixture.customer("hank");
        accounts.setEnabled(fixture.operator(), customer.accountId(), false);
        chromium.driver().manage().deleteAllCookies();
        trySignIn(customer.username(), PanelFixture.PASSWORD);
        pages.waitFor(d -> d.getCurrentUrl().contains("/login?error") ? true : null);
        assertThat(chromium.driver().findElements(By.id("signed-in-user"))).isEmpty();
    }

    private void trySignIn(String username, String password) {
        pages.open("/login");
        pages.waitFor(d -> d.findElement(By.cssSelector("vaadin-login-form input[name=username]"))).sendKeys(username);
        chromium.driver().findElement(By.cssSelector("vaadin-login-form input[name=password]")).sendKeys(password);
        chromium.driver().findElement(By.cssSelector("vaadin-login-form vaadin-button[slot=submit]")).click();
    }
}
