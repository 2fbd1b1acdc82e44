package dev.slice.driver.oci;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.DriverContractTest;
import java.util.regex.Pattern;

/** The driver contract, against real runc (or crun) containers on this host. */
class OciDriverContractTest extends DriverContractTest {
    private final OciDriver driver = OciTestHost.openDriver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver reopenedDriver() { return OciTestHost.openDriver(); }

    @Override
    protected GuestSpec spec(GuestId id) { return OciTestHost.spec(id, 10); }

    @Override
    protected Pattern consoleReady() { return Pattern.compile("login: ?"); }
}
