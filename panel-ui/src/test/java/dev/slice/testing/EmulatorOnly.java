package dev.slice.testing;

import dev.slice.driver.BackendKind;
import dev.slice.driver.registry.DriverSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The drivers found on the class path, as in production, keeping the RISC-V emulator only. */
@TestConfiguration(proxyBeanMethods = false)
class EmulatorOnly {
    @Bean
    DriverSource emulatorDriverSource() {
        DriverSource all = DriverSource.serviceLoader();
        return context -> all.open(context).stream().filter(driver -> driver.kind() == BackendKind.EMULATOR).toList();
    }
}
