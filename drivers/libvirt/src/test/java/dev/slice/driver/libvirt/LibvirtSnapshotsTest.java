package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.GuestState;
import dev.slice.driver.StopMode;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.host.ProcessRunner;
import dev.slice.driver.tck.SnapshotsContractTest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Snapshots contract on a real QEMU guest (TCG) through the real libvirtd, of the benchmark template for its
 * QEMU guest agent: internal qcow2 snapshots of the running guest (a revert resumes it), and one of the stopped
 * guest (its disk only, the guest stays stopped); the snapshot XML against libvirt's schema; Xen offers none.
 */
class LibvirtSnapshotsTest extends SnapshotsContractTest {
    private final LibvirtDriver driver = TestHost.qemuDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected GuestSpec spec(GuestId id) { return TestHost.benchSpec(id, 207); }

    /** Only an upper bound: TCG on two shared cores. */
    @Override
    protected Duration readyTimeout() { return Duration.ofSeconds(300); }

    /** Taken of a running guest, the snapshot kept its memory: the guest resumes where it was. */
    @Override
    protected void reverted(GuestId id) {
        assertThat(driver.state(id)).isEqualTo(GuestState.RUNNING);
    }

    @Override
    protected void moreChecks(GuestId id, Snapshots snapshots) {
        driver.stop(id, StopMode.force());
        snapshots.snapshot(id, "stopped");
        assertThat(snapshots.snapshots(id)).containsExactly("second", "stopped");
        snapshots.revert(id, "stopped");
        assertThat(driver.state(id)).isEqualTo(GuestState.STOPPED);
    }

    @AfterAll
    void closeDriver() {
        driver.close();
    }

    @Test
    void snapshotXmlIsValidForLibvirtAndLeavesTheSeedDiskOut() {
        String xml = new LibvirtSnapshots(() -> null, Hypervisor.QEMU, TestHost.QEMU_URI).snapshotXml("before-upgrade");
        XmlSchemaValidator.assertValid(xml, "domainsnapshot");
        assertThat(xml).contains("<name>before-upgrade</name>").contains("snapshot=\"no\"");
    }

    @Test
    void xenDomainsOfferNoSnapshots() {
        try (LibvirtDriver xen = new LibvirtDriver("xen:///system", TestHost.dataDir(), new ProcessRunner(), Clock.systemUTC())) {
            assertThat(xen.capability(Snapshots.class)).isEmpty();
        }
    }
}
