package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.RescueContractTest;
import java.nio.file.Files;

/**
 * The Rescue contract on real UML guests of the benchmark template (its guest agent runs the test's commands, in the
 * guest's own system and in the rescue system made from the same template). Beyond the contract: a leave takes the
 * rescue root, its settings disk and the mark away, and leaves the guest's own files.
 */
class UmlRescueTest extends RescueContractTest {
    private final UmlDriver driver = TestGuests.driver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver anotherDriver() { return TestGuests.driver(); }

    @Override
    protected GuestSpec spec(GuestId id) {
        GuestSpec spec = TestGuests.spec(id, 1, 256, 62);
        return new GuestSpec(spec.id(), spec.hostname(), spec.resources(), "debian-12-bench", spec.network(), spec.credentials());
    }

    @Override
    protected String rescueTemplate() { return "debian-12-bench"; }

    @Override
    protected void left(GuestId id) {
        GuestDirectory guest = driver.guest(id);
        assertThat(guest.rescueRecord()).doesNotExist();
        assertThat(guest.rescueCow()).doesNotExist();
        assertThat(guest.rescueSettingsDisk()).doesNotExist();
        assertThat(Files.isRegularFile(guest.cowDisk())).isTrue();
        assertThat(guest.settingsDisk()).isRegularFile();
    }
}
