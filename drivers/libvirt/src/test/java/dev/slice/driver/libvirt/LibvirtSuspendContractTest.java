package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.capability.Suspend;
import dev.slice.driver.tck.SuspendContractTest;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Suspend contract on a real QEMU guest (TCG) through the real libvirtd, as managed save; of the benchmark
 * template for its QEMU guest agent (GuestExec). Xen offers none.
 */
class LibvirtSuspendContractTest extends SuspendContractTest {
    private final LibvirtDriver driver = TestHost.qemuDriver();
    private final LibvirtDriver reopened = TestHost.qemuDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver anotherDriver() { return reopened; }

    @Override
    protected GuestSpec spec(GuestId id) { return TestHost.benchSpec(id, 208); }

    /** Only an upper bound: TCG on two shared cores. */
    @Override
    protected Duration readyTimeout() { return Duration.ofSeconds(300); }

    @Test
    void xenDomainsOfferNoSuspend() {
        try (LibvirtDriver xen = new LibvirtDriver("xen:///system", TestHost.dataDir(), TestHost.PROCESSES, Clock.systemUTC())) {
            assertThat(xen.capability(Suspend.class)).isEmpty();
        }
    }
}
