package dev.slice.account.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Account;
import dev.slice.account.AccountService;
import dev.slice.account.Actor;
import dev.slice.account.NewAccount;
import dev.slice.account.Role;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.testing.PanelFixture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reseller looks after its customers in the panel: a password reset to a one-time password that the customer must
 * replace at the next sign-in, and "sign in as" the customer with a banner and a way back.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountManagementBrowserTest {

    @Autowired PanelFixture fixture;
    @Autowired AccountService accounts;
    @Autowired AuditLog audit;
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
    void aResetCustomerSignsInWithTheOneTimePasswordIsMadeToChangeItAndIsThenSignedIn() {
        Actor reseller = reseller("rsl");
        Actor customer = customerOf(reseller, "kim");
        chromium.driver().manage().deleteAllCookies();
        pages.signIn(reseller.username(), PanelFixture.PASSWORD);
        pages.open("/accounts");
        pages.click("manage-" + customer.username());
        pages.click("manage-reset");
        String oneTime = pages.waitFor(d -> pages.text("one-time-password").isBlank() ? null : pages.text("one-time-password").strip());
        assertThat(oneTime).matches("[a-zA-Z2-9]{4}(-[a-zA-Z2-9]{4}){3}");
        assertThat(chromium.driver().findElement(By.id("manage-dialog")).getText()).contains("Shown only once");
        chromium.screenshot("account-reset");
        pages.click("manage-close");
        signOut();

        // The old password no longer works; the one-time one signs in, onto the forced change and nowhere else.
        pages.signIn(customer.username(), oneTime);
        waitForPath("/password");
        assertThat(pages.text("signed-in-user")).isEqualTo(customer.username());
        assertThat(pages.text("password-forced")).contains("Your password was reset");
        chromium.screenshot("account-forced-password-change");
        pages.open("/servers");
        waitForPath("/password");
        assertThat(chromium.driver().findElements(By.id("servers"))).isEmpty();

        pages.type("password-current", oneTime);
        String withName = customer.username().toUpperCase() + "-x9";
        pages.type("password-new", withName);
        pages.type("password-repeat", withName);
        pages.click("password-save");
        pages.waitFor(d -> pages.fieldError("password-new").isEmpty() ? null : true);
        assertThat(pages.fieldError("password-new")).contains("user name (" + customer.username() + ")");

        pages.type("password-new", "Her-Own-Choice-9");
        pages.type("password-repeat", "Her-Own-Choice-9");
        pages.click("password-save");
        pages.waitFor(d -> d.findElements(By.id("servers")).isEmpty() ? null : true);
        assertThat(chromium.driver().getCurrentUrl()).doesNotEndWith("/password");
        assertThat(pages.text("signed-in-user")).isEqualTo(customer.username());
        assertThat(accounts.findForLogin(customer.username()).orElseThrow().mustChangePassword()).isFalse();

        // From now on the new password signs in straight to the customer's servers.
        signOut();
        pages.signIn(customer.username(), "Her-Own-Choice-9");
        pages.waitFor(d -> d.findElements(By.id("servers")).isEmpty() ? null : true);
        assertThat(chromium.driver().findElements(By.id("password-forced"))).isEmpty();
        signOut();
    }

    @Test
    void aResellerSignsInAsItsCustomerSeesTheBannerAndGoesBackWithOneClick() {
        Actor reseller = reseller("rsm");
        Actor customer = customerOf(reseller, "lou");
        chromium.driver().manage().deleteAllCookies();
        pages.signIn(reseller.username(), PanelFixture.PASSWORD);
        pages.open("/accounts");
        // The reseller's list is its customers, not itself; each row leads to that customer's servers.
        pages.waitForGridCell("accounts", customer.username());
        assertThat(pages.gridCells("accounts")).doesNotContain(reseller.username());
        pages.click("servers-" + customer.username());
        pages.waitFor(d -> pages.text("servers-title").equals("Servers of " + customer.username()) ? true : null);
        assertThat(chromium.driver().getCurrentUrl()).contains("owner=" + customer.accountId());
        pages.click("servers-all");
        pages.waitFor(d -> pages.text("servers-title").equals("Servers") ? true : null);

        pages.open("/accounts");
        pages.click("manage-" + customer.username());
        pages.click("manage-sign-in-as");
        pages.waitFor(d -> d.findElements(By.id("sign-in-as-banner")).isEmpty() ? null : true);
        pages.waitForVaadin();
        assertThat(pages.text("signed-in-user")).isEqualTo(customer.username());
        assertThat(pages.text("sign-in-as-banner")).contains("signed in as " + customer.username())
                .contains("as " + reseller.username());
        pages.waitFor(d -> d.findElements(By.id("servers")).isEmpty() ? null : true);
        chromium.screenshot("account-sign-in-as");
        // The banner stays on every page while it lasts.
        pages.open("/tokens");
        pages.waitFor(d -> d.findElements(By.id("sign-in-as-banner")).isEmpty() ? null : true);
        assertThat(audit.page(fixture.operator(), 0, 50)).anySatisfy(entry -> assertSignInAs(entry, reseller, customer));

        pages.click("sign-in-as-end");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/accounts") ? true : null);
        pages.waitFor(d -> pages.text("signed-in-user").equals(reseller.username()) ? true : null);
        assertThat(chromium.driver().findElements(By.id("sign-in-as-banner"))).isEmpty();
        pages.waitForGridCell("accounts", customer.username());
        assertThat(audit.page(fixture.operator(), 0, 50)).extracting(AuditEntry::action).contains("account.sign-in-as-end");
        signOut();
    }

    @Test
    void theOperatorSeesACustomerOfADisabledResellerAsDisabledWithIt() {
        Actor reseller = reseller("rsd");
        Actor customer = customerOf(reseller, "mia");
        Actor ownDisabled = customerOf(reseller, "ned");
        accounts.setEnabled(reseller, ownDisabled.accountId(), false);
        accounts.setEnabled(fixture.operator(), reseller.accountId(), false);
        chromium.driver().manage().deleteAllCookies();
        pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
        pages.open("/accounts");
        // The newest accounts are the grid's last rows (by id); the shared application has many before them.
        pages.waitFor(d -> d.findElements(By.id("accounts")).isEmpty() ? null : true);
        pages.waitFor(d -> {
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollToIndex(arguments[0].size - 1)", d.findElement(By.id("accounts")));
            return d.findElements(By.id("enabled-" + ownDisabled.username())).isEmpty() ? null : true;
        });
        pages.waitForVaadin();
        assertThat(pages.content("enabled-" + customer.username())).isEqualTo("disabled with its reseller");
        assertThat(pages.content("enabled-" + ownDisabled.username())).isEqualTo("no");
        assertThat(pages.content("enabled-" + reseller.username())).isEqualTo("no");
        chromium.screenshot("accounts-disabled-with-reseller");
        signOut();
    }

    private static void assertSignInAs(AuditEntry entry, Actor reseller, Actor customer) {
        assertThat(entry.action()).isEqualTo("account.sign-in-as");
        assertThat(entry.actorName()).isEqualTo(reseller.username());
        assertThat(entry.detail()).isEqualTo(reseller.username() + " signed in as " + customer.username());
    }

    /** Waits until the browser's address is this path (query aside); says where it is if it never gets there. */
    private void waitForPath(String path) {
        try {
            pages.waitFor(d -> java.net.URI.create(d.getCurrentUrl()).getPath().equals(path) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("expected the page " + path + ", the browser is at " + chromium.driver().getCurrentUrl(), e);
        }
    }

    private void signOut() {
        pages.click("sign-out");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);
    }

    private Actor reseller(String prefix) {
        Account reseller = accounts.create(fixture.operator(),
                new NewAccount(Role.RESELLER, prefix + "-" + suffix(), null, null, PanelFixture.PASSWORD, null));
        return reseller.asActor();
    }

    private Actor customerOf(Actor reseller, String prefix) {
        return accounts.create(reseller, new NewAccount(Role.CUSTOMER, prefix + "-" + suffix(), null, null, PanelFixture.PASSWORD, null))
                .asActor();
    }

    private static String suffix() {
        return Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    }
}
