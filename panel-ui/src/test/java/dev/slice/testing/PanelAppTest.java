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
 * The whole application (orchestrator + panel) on a random port, against the real PostgreSQL (a schema of
 * its own, from the db module's test support) and the host's real OCI driver (runc). Every test class with
 * this annotation shares one running application, so they use their own accounts.
 *
 * <p>Guests go on a bridge and subnet of these tests' own ({@link #BRIDGE}, 10.79.12.0/24), never on the
 * node bridge.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = SliceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "slice.guest-id-prefix=panel",
        "slice.bootstrap.operator-username=" + PanelAppTest.OPERATOR,
        "slice.bootstrap.operator-password=" + PanelAppTest.OPERATOR_PASSWORD,
        "slice.bootstrap.bridge=" + PanelAppTest.BRIDGE,
        "slice.bootstrap.pool-network=10.79.12.0/24",
        "slice.bootstrap.pool-gateway=10.79.12.1",
        "slice.jobs.poll-interval=200ms",
        "slice.reconciler.interval=5s",
        "slice.reports.bridge=" + PanelAppTest.REPORT_BRIDGE,
        "slice.reports.network=10.79.14.0/24",
        "slice.billing.webhook-secret=" + PanelAppTest.WEBHOOK_SECRET,
})
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import({OciOnly.class, PanelFixture.class})
public @interface PanelAppTest {
    String OPERATOR = "operator";
    String OPERATOR_PASSWORD = "Panel-Operator-2026!";
    String BRIDGE = "slicepanel0";
    /** The bridge a benchmark run started from the panel's tests makes for its guests (10.79.14.0/24), and removes. */
    String REPORT_BRIDGE = "slicepanrep0";
    /** The payment provider's webhook secret, so a test can top an account up as the provider would. */
    String WEBHOOK_SECRET = "panel-test-webhook-secret";
}
