package dev.slice.testing;

import dev.slice.driver.BackendKind;
import dev.slice.driver.registry.DriverSource;
import java.util.Set;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The drivers found on the class path, as in production, keeping the two machine backends only: QEMU (libvirt)
 * and User-Mode Linux. Their tests order no containers, and the fewer backends the quicker the start.
 */
@TestConfiguration(proxyBeanMethods = false)
class QemuAndUmlOnly {
    private static final Set<BackendKind> KEPT = Set.of(BackendKind.QEMU, BackendKind.UML);

    @Bean
    DriverSource qemuAndUmlDriverSource() {
        DriverSource all = DriverSource.serviceLoader();
        return context -> all.open(context).stream().filter(driver -> KEPT.contains(driver.kind())).toList();
    }
}
