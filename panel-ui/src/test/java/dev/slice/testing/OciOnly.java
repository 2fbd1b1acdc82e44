package dev.slice.testing;

import dev.slice.driver.BackendKind;
import dev.slice.driver.registry.DriverSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The drivers found on the class path, as in production, but only the OCI one is kept: the panel's tests
 * need one real backend, and probing the others (a libvirt test boot) would only slow every start down.
 */
@TestConfiguration(proxyBeanMethods = false)
class OciOnly {
    @Bean
    DriverSource ociDriverSource() {
        DriverSource all = DriverSource.serviceLoader();
        return context -> all.open(context).stream().filter(driver -> driver.kind() == BackendKind.OCI).toList();
    }
}
