package dev.slice.driver.emulator;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import java.time.Clock;
import java.util.List;

/**
 * Opens the RISC-V emulator driver on Linux hosts (it needs cgroups, setsid and Unix sockets); its
 * {@link Driver#probe()} says what is missing when the launcher or the guest files are not built yet.
 */
public final class EmulatorDriverProvider implements DriverProvider {
    @Override
    public List<Driver> open(HostContext context) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return List.of();
        return List.of(new EmulatorDriver(context, Clock.systemUTC()));
    }
}
