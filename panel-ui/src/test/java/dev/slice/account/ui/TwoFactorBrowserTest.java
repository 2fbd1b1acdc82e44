package dev.slice.account.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.testing.PanelAppTest;
import dev.slice.twofactor.TwoFactorPolicy;
import dev.slice.testing.PanelFixture;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Two-factor sign-in as a person does it: enrol on the Security page with the QR code's secret, sign out, sign in with
 * the password and a code from the app, then with a recovery code, which works once only; new recovery codes replace the
 * old ones. When the operator makes it mandatory for staff, a reseller without it is led to enrolment from every page.
 */
@PanelAppTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class TwoFactorBrowserTest {
    @Autowired PanelFixture fixture;
    @Autowired TwoFactorPolicy policy;
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
    void enrolSignOutAndSignInWithACodeAndWithARecoveryCode() throws Exception {
        Actor customer = fixture.customer("twofbrowser");
        chromium.driver().manage().deleteAllCookies();
        pages.signIn(customer.username(), PanelFixture.PASSWORD);
        pages.open("/security");
        assertThat(pages.text("two-factor-status")).startsWith("Off");
        pages.click("two-factor-start");
        String secret = pages.text("two-factor-secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(chromium.driver().findElement(By.id("two-factor-qr")).getDomAttribute("src")).startsWith("data:image/png;base64,");
        pages.type("two-factor-confirm-code", "12345");
        pages.click("two-factor-confirm");
        assertThat(pages.fieldError("two-factor-confirm-code")).contains("6-digit");
        pages.type("two-factor-confirm-code", code(secret, 0));
        pages.click("two-factor-confirm");
        List<String> recovery = List.of(pages.text("two-factor-recovery-codes").split("\n"));
        assertThat(recovery).hasSize(10);
        assertThat(pages.text("two-factor-status")).startsWith("On").contains("left: 10");
        chromium.screenshot("two-factor-enrolled");
        signOut();

        passwordStep(customer.username());
        pages.waitFor(d -> d.findElement(By.id("two-factor-code")));
        chromium.screenshot("two-factor-code-page");
        codeStep(code(secret, 1));
        pages.waitFor(d -> d.findElements(By.id("signed-in-user")).isEmpty() ? null : true);
        assertThat(pages.text("signed-in-user")).isEqualTo(customer.username());
        signOut();

        passwordStep(customer.username());
        codeStep(recovery.get(2));
        pages.waitFor(d -> d.findElements(By.id("signed-in-user")).isEmpty() ? null : true);
        pages.open("/security");
        assertThat(pages.text("two-factor-status")).contains("left: 9");

        // New recovery codes, with the password: shown once, and the old ones stop working.
        pages.click("two-factor-regenerate");
        assertThat(pages.fieldError("two-factor-regenerate-code")).contains("current code, or your password");
        pages.type("two-factor-regenerate-password", PanelFixture.PASSWORD);
        pages.click("two-factor-regenerate");
        List<String> fresh = List.of(pages.text("two-factor-recovery-codes").split("\n"));
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(recovery);
        assertThat(pages.text("two-factor-status")).contains("left: 10");
        pages.open("/security");
        assertThat(pages.text("two-factor-status")).contains("left: 10");
        assertThat(chromium.driver().findElements(By.id("two-factor-recovery-codes"))).as("shown once").isEmpty();
        signOut();

        // The same recovery code a second time is refused, and so is an unused one of the replaced set.
        for (String refused : List.of(recovery.get(2), recovery.get(3))) {
            passwordStep(customer.username());
            codeStep(refused);
            pages.waitFor(d -> d.getCurrentUrl().contains("/login/two-factor?error") ? true : null);
            assertThat(pages.text("two-factor-error")).contains("not right");
            assertThat(chromium.driver().findElements(By.id("signed-in-user"))).isEmpty();
        }
        passwordStep(customer.username());
        codeStep(fresh.get(0));
        pages.waitFor(d -> d.findElements(By.id("signed-in-user")).isEmpty() ? null : true);
    }

    @Test
    void whenTheOperatorRequiresItAResellerWithoutItIsLedToEnrolmentBeforeAnythingElse() throws Exception {
        Actor reseller = fixture.reseller("twofstaff");
        try {
            chromium.driver().manage().deleteAllCookies();
            pages.signIn(PanelAppTest.OPERATOR, PanelAppTest.OPERATOR_PASSWORD);
            pages.open("/security");
            pages.waitFor(d -> d.findElement(By.id("two-factor-required-for-staff"))).click();
            pages.waitForVaadin();
            pages.waitFor(d -> policy.requiredForStaff() ? true : null);
            // The operator itself has no two-factor sign-in: its own next page is the enrolment too.
            pages.open("/billing");
            ledToEnrolment();
            assertThat(pages.content("two-factor-enrolment-required")).contains("requires two-factor sign-in");
            signOut();

            pages.signIn(reseller.username(), PanelFixture.PASSWORD);
            ledToEnrolment();
            assertThat(pages.content("two-factor-enrolment-required")).contains("operators and resellers");
            for (String elsewhere : List.of("/plans", "/billing", "/servers")) {
                pages.open(elsewhere);
                ledToEnrolment();
            }
            chromium.screenshot("two-factor-enrolment-required");
            pages.click("two-factor-start");
            String secret = pages.text("two-factor-secret");
            pages.type("two-factor-confirm-code", code(secret, 0));
            pages.click("two-factor-confirm");
            pages.waitFor(d -> d.findElements(By.id("two-factor-recovery-codes")).isEmpty() ? null : true);
            assertThat(chromium.driver().findElements(By.id("two-factor-enrolment-required"))).isEmpty();
            pages.open("/billing");
            pages.waitFor(d -> d.findElements(By.id("billing-balance")).isEmpty() ? null : true);
            assertThat(chromium.driver().getCurrentUrl()).endsWith("/billing");
        } finally {
            // The application is shared with other test classes, whose operator has no two-factor sign-in.
            policy.setRequiredForStaff(fixture.operator(), false);
        }
    }

    /** The page shown is the Security page's enrolment, whatever was asked for (a forward keeps the address asked for). */
    private void ledToEnrolment() {
        pages.waitFor(d -> d.findElements(By.id("two-factor-enrolment-required")).isEmpty() ? null : true);
        assertThat(chromium.driver().findElements(By.id("billing-balance"))).isEmpty();
    }

    private void signOut() {
        pages.click("sign-out");
        pages.waitFor(d -> d.getCurrentUrl().endsWith("/login") ? true : null);
    }

    private void passwordStep(String username) {
        pages.open("/login");
        pages.waitFor(d -> d.findElement(By.cssSelector("vaadin-login-form input[name=username]"))).sendKeys(username);
        chromium.driver().findElement(By.cssSelector("vaadin-login-form input[name=password]")).sendKeys(PanelFixture.PASSWORD);
        chromium.driver().findElement(By.cssSelector("vaadin-login-form vaadin-button[slot=submit]")).click();
        pages.waitFor(d -> d.getCurrentUrl().contains("/login/two-factor") ? true : null);
    }

    private void codeStep(String code) {
        pages.waitFor(d -> d.findElement(By.id("two-factor-code"))).sendKeys(code);
        chromium.driver().findElement(By.id("two-factor-submit")).click();
    }

    private static String code(String secret, int steps) throws Exception {
        return new DefaultCodeGenerator().generate(secret, Math.floorDiv(Instant.now().getEpochSecond(), 30) + steps);
    }
}
