package dev.slice.driver.registry;

import dev.slice.driver.Driver;
import dev.slice.driver.DriverProvider;
import dev.slice.driver.HostContext;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where drivers come from. The default asks every {@link DriverProvider} on the class path (ServiceLoader). */
@FunctionalInterface
public interface DriverSource {
    List<Driver> open(HostContext context);

    static DriverSource serviceLoader() {
        return context -> {
            Logger log = LoggerFactory.getLogger(DriverSource.class);
            List<Driver> drivers = new ArrayList<>();
            for (ServiceLoader.Provider<DriverProvider> provider : ServiceLoader.load(DriverProvider.class).stream().toList()) {
                try {
                    drivers.addAll(provider.get().open(context));
                } catch (RuntimeException | ServiceConfigurationError e) {
                    log.warn("Driver provider {} failed to open: {}", provider.type().getName(), e.toString());
                }
            }
            return drivers;
        };
    }

    /** A fixed list, for tests and embedding. */
    static DriverSource of(Driver... drivers) {
        return context -> List.of(drivers);
    }
}
