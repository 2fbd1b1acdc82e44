package dev.slice.driver;

import java.util.List;

/**
 * Found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.slice.driver.DriverProvider}).
 * A provider opens the drivers that apply to the host described by the context; it returns an empty
 * list when its backend does not apply at all, and drivers whose {@link Driver#probe()} says why
 * they are unavailable when the backend applies but something is missing.
 */
public interface DriverProvider {
    List<Driver> open(HostContext context);
}
