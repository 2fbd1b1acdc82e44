package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.tck.SnapshotsContractTest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Snapshots contract on real UML guests of the benchmark template (its guest agent writes and reads the file):
 * copies of the stopped guest's COW file. Beyond the contract: the restored COW is the guest's user's again, the
 * snapshots are root's and outside the jail, a COW the guest swapped for a link to a host file is refused, and a
 * guest that never ran has no disk of its own to take.
 */
class UmlSnapshotsTest extends SnapshotsContractTest {
    private final UmlDriver driver = TestGuests.driver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected GuestSpec spec(GuestId id) { return bench(id, 60); }

    private static GuestSpec bench(GuestId id, int octet) {
        GuestSpec spec = TestGuests.spec(id, 1, 256, octet);
        return new GuestSpec(spec.id(), spec.hostname(), spec.resources(), "debian-12-bench", spec.network(), spec.credentials());
    }

    /** A revert leaves the guest stopped, its COW a plain file of its own user again (cp ran as root). */
    @Override
    protected void reverted(GuestId id) {
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
        try {
            Path cow = driver.guest(id).cowDisk();
            long uid = GuestRecord.read(driver.guest(id).record()).orElseThrow().uid();
            assertThat(((Number) Files.getAttribute(cow, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue()).isEqualTo(uid);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cow))).isEqualTo("rw-------");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected void moreChecks(GuestId id, Snapshots snapshots) throws Exception {
        GuestDirectory guest = driver.guest(id);
        Path dir = UmlSnapshots.directory(guest);
        assertThat(dir.getParent()).isEqualTo(guest.dir());
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(0);
        assertThat(dir.resolve("second.snapshot")).isRegularFile();

        // Root inside the guest can replace its COW through hostfs; root's cp must not follow a link out of the jail.
        Path cow = guest.cowDisk();
        Path kept = cow.resolveSibling("disk.cow.kept");
        Files.move(cow, kept);
        Files.createSymbolicLink(cow, Path.of("/etc/shadow"));
        try {
            assertThatThrownBy(() -> snapshots.snapshot(id, "stolen"))
                    .isInstanceOf(DriverException.class).hasMessageContaining("not a plain file of the guest's user");
            assertThat(snapshots.snapshots(id)).containsExactly("second");
        } finally {
            Files.move(kept, cow, StandardCopyOption.REPLACE_EXISTING);
        }

        driver.destroy(id);
        assertThat(guest.dir()).doesNotExist();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aGuestThatNeverRanHasNoDiskOfItsOwnToTake() {
        GuestId id = TestGuests.id("snap-new");
        try {
            driver.create(bench(id, 61));
            Snapshots snapshots = driver.capability(Snapshots.class).orElseThrow();
            assertThat(snapshots.needsStoppedGuest()).isTrue();
            assertThat(snapshots.snapshots(id)).isEmpty();
            assertThatThrownBy(() -> snapshots.snapshot(id, "first"))
                    .isInstanceOf(DriverException.class).hasMessageContaining("has never been started");
            assertThatThrownBy(() -> snapshots.revert(id, "first"))
                    .isInstanceOf(DriverException.class).hasMessageContaining("no snapshot first");
            assertThatThrownBy(() -> snapshots.snapshots(GuestId.of("snap-absent")))
                    .isInstanceOf(dev.slice.driver.GuestNotFoundException.class);
        } finally {
            driver.destroy(id);
        }
    }
}
