package dev.slice.driver.oci;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.BackupsContractTest;

/** The Backups contract on real runc containers: the stopped container's writable layer (its disk image) copied out and back. */
class OciBackupsTest extends BackupsContractTest {
    private final OciDriver driver = OciTestHost.openDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected GuestSpec spec(GuestId id) { return OciTestHost.spec(id, 75); }
}
