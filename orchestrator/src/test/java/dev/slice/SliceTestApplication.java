package dev.slice;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Capacity;
import dev.slice.driver.registry.DriverSource;
import dev.slice.testing.FakeDriver;
import dev.slice.testing.MutableClock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the orchestrator's Spring tests start: the auto-configured orchestrator with an in-memory
 * OCI driver (4 CPUs, 8 GiB, 100 GiB) and a clock tests can move.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = UserDetailsServiceAutoConfiguration.class)
public class SliceTestApplication {
    @Bean
    FakeDriver fakeDriver() {
        return new FakeDriver(BackendKind.OCI, new Capacity(4, 8192, 102_400));
    }

    @Bean
    DriverSource testDriverSource(FakeDriver driver) {
        return DriverSource.of(driver);
    }

    @Bean
    MutableClock testClock() {
        return new MutableClock();
    }
}
