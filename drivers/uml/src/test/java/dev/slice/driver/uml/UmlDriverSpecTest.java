package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.HostContext;
import dev.slice.driver.InvalidSpecException;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.Resources;
import dev.slice.driver.host.ProcessRunner;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests the driver refuses, and what it says when the host lacks UML; nothing is booted here. */
class UmlDriverSpecTest {
    private final UmlDriver driver = TestGuests.driver();

    @Test
    void probeNamesTheMissingKernelAndTheSetUpScript() {
        HostContext host = TestGuests.host();
        UmlDriver withoutKernel = new UmlDriver(new HostContext(host.dataDir(),
                Map.of("uml.kernel", "/nonexistent/linux.uml"), new ProcessRunner()), Clock.systemUTC());
        ProbeResult probe = withoutKernel.probe();
        assertThat(probe.available()).isFalse();
        assertThat(probe.detail()).contains("/nonexistent/linux.uml", "user-mode-linux", "deploy/uml/setup.sh");
    }

    @Test
    void probeOnThisHostNamesTheKernelAndHowGuestsRun() {
        ProbeResult probe = driver.probe();
        assertThat(probe.available()).as(probe.detail()).isTrue();
        assertThat(probe.detail()).contains("user-mode-linux", "guest processes under ptrace", "jailed as its own host user");
    }

    @Test
    void aDiskTooSmallForTheTemplateIsRejectedAndLeavesNothing() {
        GuestId id = TestGuests.id("small");
        GuestSpec spec = TestGuests.spec(id, 1, 128, 30).withResources(Resources.of(1, 128, 64));
        assertThatThrownBy(() -> driver.create(spec)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("64 MiB is too small");
        assertThat(driver.state(id)).isEqualTo(GuestState.ABSENT);
        assertThat(driver.guest(id).dir()).doesNotExist();
    }

    @Test
    void tooLittleMemoryForABootingGuestIsRejected() {
        GuestId id = TestGuests.id("tiny");
        GuestSpec spec = TestGuests.spec(id, 1, 128, 31).withResources(Resources.of(1, 32, TestGuests.DISK_MIB));
        assertThatThrownBy(() -> driver.create(spec)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("at least 64 MiB");
        assertThat(driver.state(id)).isEqualTo(GuestState.ABSENT);
    }

    @Test
    void creatingAnExistingGuestWithOtherSettingsIsRefusedAndKeepsTheGuest() throws Exception {
        GuestId id = TestGuests.id("twice");
        try {
            driver.create(TestGuests.spec(id, 1, 128, 32));
            String record = Files.readString(driver.guest(id).record());
            assertThatThrownBy(() -> driver.create(TestGuests.spec(id, 1, 256, 32)))
                    .isInstanceOf(InvalidSpecException.class).hasMessageContaining("already exists");
            assertThat(Files.readString(driver.guest(id).record())).isEqualTo(record);
            assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        } finally {
            driver.destroy(id);
        }
    }
}
