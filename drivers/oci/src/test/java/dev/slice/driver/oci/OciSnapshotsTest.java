package dev.slice.driver.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Snapshots;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Snapshots of a real runc container's writable layer: a file written before the snapshot is back after a revert,
 * snapshots need the container stopped, and they go with the guest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OciSnapshotsTest {
    private static final String FILE = "/root/slice-snapshot-test";
    private final OciDriver driver = OciTestHost.openDriver();
    private final GuestId id = GuestId.of("osnap-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36));

    @AfterAll
    void cleanUp() {
        driver.destroy(id);
    }

    @Test
    void aRevertBringsBackTheFileAsItWasWhenTheSnapshotWasTaken() {
        Snapshots snapshots = driver.capability(Snapshots.class).orElseThrow();
        assertThat(snapshots.needsStoppedGuest()).isTrue();
        driver.create(OciTestHost.spec(id, 74));
        driver.start(id);
        OciTestHost.run(driver, id, "sh", "-c", "echo before > " + FILE + " && sync");
        assertThatThrownBy(() -> snapshots.snapshot(id, "first"))
                .isInstanceOf(DriverException.class).hasMessageContaining("stop it first");

        driver.stop(id, StopMode.graceful(Duration.ofSeconds(20)));
        snapshots.snapshot(id, "first");
        snapshots.snapshot(id, "first"); // a repeated step keeps the snapshot it took
        assertThat(snapshots.snapshots(id)).containsExactly("first");

        driver.start(id);
        OciTestHost.run(driver, id, "sh", "-c", "echo after > " + FILE + " && sync");
        driver.stop(id, StopMode.force());
        snapshots.snapshot(id, "second");
        assertThat(snapshots.snapshots(id)).containsExactly("first", "second");

        snapshots.revert(id, "first");
        driver.start(id);
        assertThat(OciTestHost.run(driver, id, "cat", FILE)).isEqualTo("before");
        driver.stop(id, StopMode.force());
        snapshots.revert(id, "second");
        driver.start(id);
        assertThat(OciTestHost.run(driver, id, "cat", FILE)).isEqualTo("after");

        snapshots.deleteSnapshot(id, "first");
        snapshots.deleteSnapshot(id, "first");
        assertThat(snapshots.snapshots(id)).containsExactly("second");
        driver.stop(id, StopMode.force());
        assertThatThrownBy(() -> snapshots.revert(id, "first"))
                .isInstanceOf(DriverException.class).hasMessageContaining("no snapshot first");

        driver.destroy(id);
        assertThat(OciTestHost.dataDir().resolve("oci/guests").resolve(id.value())).doesNotExist();
    }
}
