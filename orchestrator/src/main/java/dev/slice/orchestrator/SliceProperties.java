package dev.slice.orchestrator;

import dev.slice.db.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Slice's settings ({@code slice.*}); defaults in {@code slice-orchestrator-defaults.properties}.
 *
 * @param dataDir  templates, guest disks, embedded database ({@code SLICE_DATA}, default /var/lib/slice)
 * @param nodeName the node this installation is
 * @param guestIdPrefix guests are named {@code <prefix>-<server id>} on their host (default {@code slice})
 * @param drivers  driver settings handed to drivers as is, e.g. {@code slice.drivers.qemu.uri=qemu:///system}
 * @param roles    what this process is: {@code control-plane}, {@code node-agent}, or both (the default: a single host)
 */
@ConfigurationProperties("slice")
public record SliceProperties(Path dataDir, String nodeName, String guestIdPrefix, Map<String, String> drivers, Jobs jobs, Reconciler reconciler,
                              Bootstrap bootstrap, Database database, Set<SliceRole> roles, NodeAgent node) {

    public SliceProperties {
        drivers = drivers == null ? Map.of() : Map.copyOf(drivers);
        roles = roles == null || roles.isEmpty() ? EnumSet.allOf(SliceRole.class) : EnumSet.copyOf(roles);
        if (node == null) node = new NodeAgent(null, null, null, Duration.ofSeconds(5), 3);
        // slice.node.name wins over the older slice.node-name; both name the node this process is the agent of.
        if (node.name() != null && !node.name().isBlank()) nodeName = node.name().strip();
    }

    public boolean isControlPlane() {
        return roles.contains(SliceRole.CONTROL_PLANE);
    }

    public boolean isNodeAgent() {
        return roles.contains(SliceRole.NODE_AGENT);
    }

    /**
     * This process as the agent of its node ({@code slice.node.*}).
     *
     * @param name              the node; an agent of another host must name a node the operator added
     * @param address           how operators and the control plane reach this host; empty = its host name
     * @param credential        the node's credential (shown once when the operator added it); not needed on a single host
     * @param heartbeatInterval how often the agent writes that it is alive
     * @param missedHeartbeats  after this many intervals without one the control plane marks the node unreachable
     */
    public record NodeAgent(String name, String address, String credential, Duration heartbeatInterval, int missedHeartbeats) {
        public NodeAgent {
            if (heartbeatInterval == null || heartbeatInterval.toMillis() < 100) heartbeatInterval = Duration.ofSeconds(5);
            if (missedHeartbeats < 2) missedHeartbeats = 3;
        }
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
