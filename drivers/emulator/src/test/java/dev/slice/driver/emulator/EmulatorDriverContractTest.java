package dev.slice.driver.emulator;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.DriverContractTest;
import java.time.Duration;
import java.util.regex.Pattern;

/** The driver contract against real emulator processes booting the busybox guest (debian-12's stand-in). */
class EmulatorDriverContractTest extends DriverContractTest {
    private final EmulatorDriver driver = TestGuests.driver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver reopenedDriver() { return TestGuests.driver(); }

    @Override
    protected GuestSpec spec(GuestId id) { return TestGuests.spec(id, 128); }

    @Override
    protected Pattern consoleReady() { return TestGuests.SHELL_PROMPT; }

    @Override
    protected Duration bootTimeout() { return Duration.ofSeconds(90); }

    @Override
    protected Duration gracefulStopTimeout() { return Duration.ofSeconds(60); }
}
