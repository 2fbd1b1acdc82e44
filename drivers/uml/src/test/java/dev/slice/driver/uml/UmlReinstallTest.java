package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.ConsoleReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reinstalling (destroy, then create with the same id) gives a fresh disk from the template and new settings. */
class UmlReinstallTest {
    private final UmlDriver driver = TestGuests.driver();
    private final GuestId id = TestGuests.id("reinstall");

    @AfterEach
    void destroy() {
        driver.destroy(id);
    }

    @Test
    void aReinstalledGuestHasANewCopyOnWriteDiskAndItsNewSettings() throws Exception {
        GuestSpec first = TestGuests.spec(id, 1, 128, 40);
        driver.create(first);
        driver.start(id);
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            GuestShell shell = GuestShell.login(console);
            shell.run("echo customer-data > /root/file; sync");
            assertThat(shell.run("cat /root/file")).isEqualTo("customer-data");
        }
        assertThat(driver.guest(id).cowDisk()).exists();

        driver.destroy(id);
        GuestSpec second = new GuestSpec(id, "renamed.uml.test", first.resources(), first.template(),
                first.network(), first.credentials());
        driver.create(second);
        assertThat(driver.guest(id).cowDisk()).as("no disk until the first boot").doesNotExist();
        driver.start(id);
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            GuestShell shell = GuestShell.login(console);
            assertThat(shell.run("hostname")).isEqualTo("renamed.uml.test");
            assertThat(shell.run("test -e /root/file && echo kept || echo gone")).isEqualTo("gone");
        }
    }
}
