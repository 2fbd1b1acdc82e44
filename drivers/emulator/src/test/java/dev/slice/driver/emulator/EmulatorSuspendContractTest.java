package dev.slice.driver.emulator;

import dev.slice.driver.Driver;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.tck.SuspendContractTest;
import java.time.Duration;

/** The Suspend contract against a real emulator process booting the busybox guest (one hart: what it can save). */
class EmulatorSuspendContractTest extends SuspendContractTest {
    private final EmulatorDriver driver = TestGuests.driver();
    private final EmulatorDriver reopened = TestGuests.driver();

    @Override
    protected Driver driver() { return driver; }

    @Override
    protected Driver anotherDriver() { return reopened; }

    @Override
    protected GuestSpec spec(GuestId id) { return TestGuests.spec(id, 128); }

    /** The busybox guest's /tmp is in its RAM. */
    @Override
    protected String ramDirectory() { return "/tmp"; }

    @Override
    protected Duration readyTimeout() { return Duration.ofSeconds(180); }
}
