package dev.slice.driver.uml;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import java.time.Clock;
import java.util.List;

/**
 * Opens the UML driver on Linux hosts; its {@link Driver#probe()} says what is missing when the UML
 * kernel or its tools are not installed.
 */
public final class UmlDriverProvider implements DriverProvider {
    @Override
    public List<Driver> open(HostContext context) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return List.of();
        return List.of(new UmlDriver(context, Clock.systemUTC()));
    }
}
