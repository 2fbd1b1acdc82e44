package dev.slice.orchestrator;

import dev.slice.db.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Slice's settings ({@code slice.*}); defaults in {@code slice-orchestrator-defaults.properties}.
 *
 * @param dataDir  templates, guest disks, embedded database ({@code SLICE_DATA}, default /var/lib/slice)
 * @param nodeName the node this installation is
 * @param guestIdPrefix guests are named {@code <prefix>-<server id>} on their host (default {@code slice})
 * @param drivers  driver settings handed to drivers as is, e.g. {@code slice.drivers.qemu.uri=qemu:///system}
 */
@ConfigurationProperties("slice")
public record SliceProperties(Path dataDir, String nodeName, String guestIdPrefix, Map<String, String> drivers, Jobs jobs, Reconciler reconciler,
                              Bootstrap bootstrap, Database database) {

    public SliceProperties {
        drivers = drivers == null ? Map.of() : Map.copyOf(drivers);
    }

    /**
     * @param runningTimeout how long a "wait for running/stopped" step waits before the attempt fails
     */
    public record Jobs(boolean enabled, int threads, Duration pollInterval, Duration heartbeatInterval, Duration staleAfter,
                       int maxAttempts, Duration backoffBase, Duration backoffMax, Duration runningTimeout) {}

    public record Reconciler(boolean enabled, Duration interval) {}

    /**
     * What first start creates when it is missing.
     *
     * @param operatorPassword empty: generate one and print it once in the log
     * @param configureBridge  put the pool's gateway address on the bridge (needs root)
     */
    public record Bootstrap(boolean enabled, String operatorUsername, String operatorPassword, String poolNetwork,
                            String poolGateway, String bridge, List<String> dns, boolean configureBridge, boolean starterPlans,
                            double cpuOvercommit, double memoryOvercommit, double diskOvercommit) {}

    /**
     * The embedded PostgreSQL (used when spring.datasource.url is not set).
     *
     * @param embeddedPort       its port; 0 = any free
     * @param embeddedDurability {@code durable} (default: commits survive power loss) or {@code fast} (tests only)
     */
    public record Database(int embeddedPort, Durability embeddedDurability) {}
}
