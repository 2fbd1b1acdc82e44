package dev.slice.testing;

import dev.slice.db.testing.TestDatabaseInitializer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;

/**
 * A Spring test of the orchestrator on real PostgreSQL: its own schema per test class, jobs driven by the
 * test ({@code JobWorker.runDue()}), no reconciler, billing or usage schedule, no host bridge changes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "slice.jobs.enabled=false",
        "slice.reconciler.enabled=false",
        "slice.billing.metering-enabled=false",
        "slice.usage.enabled=false",
        "slice.bootstrap.configure-bridge=false",
        "slice.bootstrap.operator-password=" + SliceSpringTest.OPERATOR_PASSWORD,
        "slice.data-dir=target/slice-data",
        "slice.jobs.running-timeout=5s",
        // No heartbeat during a test (tests compare digests of every table); the node registers once at start.
        "slice.node.heartbeat-interval=1h",
        "slice.drivers.oci.runDir=/run/slice/oci-unused-by-fake",
        "slice.drivers.qemu.uri=qemu:///system"})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public @interface SliceSpringTest {
    String OPERATOR_PASSWORD = "Operator-Pass-2024";
}
