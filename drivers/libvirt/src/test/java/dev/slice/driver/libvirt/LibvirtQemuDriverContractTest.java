package dev.slice.driver.libvirt;

import dev.slice.driver.Credentials;
import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.DriverContractTest;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * The driver contract against the real libvirtd and QEMU on this host (TCG here, since nested
 * KVM does not boot), with the Debian 12 template built by deploy/libvirt/build.sh.
 */
class LibvirtQemuDriverContractTest extends DriverContractTest {
    private final LibvirtDriver driver = TestHost.qemuDriver();
    private LibvirtDriver reopened;

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver reopenedDriver() {
        reopened = TestHost.qemuDriver();
        return reopened;
    }

    @Override
    protected GuestSpec spec(GuestId id) {
        return TestHost.debianSpec(id, 200, Credentials.none());
    }

    @Override
    protected Pattern consoleReady() { return Pattern.compile("login: "); }

    // Emulated CPUs on two shared cores: generous, and only an upper bound.
    @Override
    protected Duration bootTimeout() { return Duration.ofSeconds(180); }

    @Override
    protected Duration gracefulStopTimeout() { return Duration.ofSeconds(90); }

    @AfterAll
    void closeConnections() {
        driver.close();
        if (reopened != null) reopened.close();
    }
}
