package dev.slice.testing;

import dev.slice.SliceApplication;
import dev.slice.db.testing.TestDatabaseInitializer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Like {@link PanelAppTest}, but with the real RISC-V emulator driver only (a JVM per guest, deploy/emulator).
 * Its guests get ids, a bridge and a subnet of their own ({@code pemu-<id>}, {@link #BRIDGE}, 10.79.13.0/24).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = SliceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "slice.guest-id-prefix=pemu",
        "slice.bootstrap.operator-username=" + PanelAppTest.OPERATOR,
        "slice.bootstrap.operator-password=" + PanelAppTest.OPERATOR_PASSWORD,
        "slice.bootstrap.bridge=" + EmulatorPanelTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.13.0/24",
        "slice.bootstrap.pool-gateway=10.79.13.1",
        "slice.jobs.poll-interval=200ms",
        "slice.reconciler.interval=5s",
})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import({EmulatorOnly.class, PanelFixture.class})
public @interface EmulatorPanelTest {
    String BRIDGE = "slicepemu0";
}
