package dev.slice.driver.uml;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.DriverContractTest;
import java.time.Duration;
import java.util.regex.Pattern;

/** The driver contract against real User-Mode Linux guests booting the debian-12 template. */
class UmlDriverContractTest extends DriverContractTest {
    private final UmlDriver driver = TestGuests.driver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver reopenedDriver() { return TestGuests.driver(); }

    @Override
    protected GuestSpec spec(GuestId id) { return TestGuests.spec(id, 1, 256, 10); }

    @Override
    protected Pattern consoleReady() { return TestGuests.LOGIN_PROMPT; }

    @Override
    protected Duration bootTimeout() { return Duration.ofSeconds(120); }

    @Override
    protected Duration gracefulStopTimeout() { return Duration.ofSeconds(60); }
}
