package dev.slice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.account.Actor;
import dev.slice.browser.HeadlessChromium;
import dev.slice.browser.PanelPages;
import dev.slice.driver.BackendKind;
import dev.slice.server.ServerService;
import dev.slice.testing.PanelFixture;
import dev.slice.testing.VirtualMachinePanelTest;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@link ConsoleSessionTest}'s reboot, on a real User-Mode Linux guest (its console held by dtach) in a real browser:
 * the terminal reconnects by itself when the guest reboots, shows the new boot's login prompt although it was printed
 * while no browser was attached (the driver records each boot's console from its start), and takes keystrokes again.
 */
@VirtualMachinePanelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UmlConsoleRebootTest {

    private static final String ROOT_PASSWORD = "Uml-Console-Pass-8";
    private static final String HOSTNAME = "umlterm.example.com";
    private static final Duration BOOT = Duration.ofMinutes(3);

    @Autowired PanelFixture fixture;
    @Autowired ServerService servers;
    @LocalServerPort int port;

    private Actor owner;
    private long serverId;

    @BeforeAll
    void ownerHasARunningUmlGuest() {
        owner = fixture.customer("umlterm");
        serverId = fixture.runningServer(owner, BackendKind.UML, HOSTNAME, ROOT_PASSWORD, BOOT);
    }

    @AfterAll
    void cleanUp() {
        if (serverId != 0) fixture.deleteAndWait(serverId);
    }

    @Test
    void theConsoleComesBackByItselfAfterARebootWithTheNewBootsPromptAndTakesInput() {
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            PanelPages pages = new PanelPages(chromium.driver(), "http://localhost:" + port);
            pages.signIn(owner.username(), PanelFixture.PASSWORD);
            pages.open("/server/" + serverId);
            assertThat(pages.content("server-resize-unavailable")).as("why a UML server has no Resize")
                    .contains("Resize is not offered for User-Mode Linux servers yet");
            pages.logInAsRoot(serverId, HOSTNAME, ROOT_PASSWORD, BOOT);
            pages.typeIntoConsole(serverId, "echo \"before-$((6*7))\"", Keys.ENTER);
            pages.waitForConsole(serverId, Pattern.compile("^before-42\\s*$", Pattern.MULTILINE), Duration.ofSeconds(30));
            pages.recordConsoleStates(serverId);

            servers.reboot(owner, serverId);
            String shown = pages.awaitConsoleReconnected(serverId, Pattern.compile("^umlterm login: ?$", Pattern.MULTILINE), BOOT);
            assertThat(shown).contains("console closed by the guest side", "reconnecting in");
            pages.showConsole(serverId);
            chromium.screenshot("uml-console-after-reboot");
            // The screen is the new boot's, not the old session's output appended to.
            assertThat(pages.consoleText(serverId)).doesNotContain("before-42");

            pages.logInAsRoot(serverId, HOSTNAME, ROOT_PASSWORD, Duration.ofMinutes(1));
            pages.typeIntoConsole(serverId, "echo \"after-$((6*7))\"", Keys.ENTER);
            pages.waitForConsole(serverId, Pattern.compile("^after-42\\s*$", Pattern.MULTILINE), Duration.ofSeconds(30));
        }
    }
}
