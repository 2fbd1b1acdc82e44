package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.tck.SnapshotsContractTest;
import java.nio.file.Path;

/**
 * The Snapshots contract on real runc containers: copies of the stopped container's writable layer (its disk image),
 * refused while it runs; a revert leaves it stopped; the copies live in the guest's directory and go with it.
 */
class OciSnapshotsTest extends SnapshotsContractTest {
    private final OciDriver driver = OciTestHost.openDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected GuestSpec spec(GuestId id) { return OciTestHost.spec(id, 74); }

    @Override
    protected void reverted(GuestId id) {
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
    }

    @Override
    protected void moreChecks(GuestId id, Snapshots snapshots) {
        Path guestDir = OciTestHost.dataDir().resolve("oci/guests").resolve(id.value());
        assertThat(guestDir.resolve("snapshots/second.snapshot")).isRegularFile();
        assertThat(guestDir.resolve("snapshots/first.snapshot")).doesNotExist();
        driver.destroy(id);
        assertThat(guestDir).doesNotExist();
    }
}
