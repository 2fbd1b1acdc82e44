package dev.slice.driver.oci;

import dev.slice.driver.GuestId;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A guest's network: a named network namespace ({@code slice-<id>}, so it outlives the container and
 * is easy to find and remove) holding {@code eth0} with the guest's MAC, address and default route,
 * and the other end of that veth pair on the node bridge. Configured from the host before the
 * container starts, so the guest is reachable the moment it runs.
 */
final class GuestNetwork {
    static final String GUEST_INTERFACE = "eth0";
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private final ProcessRunner processes;
    private final HostBridge bridge;

    GuestNetwork(ProcessRunner processes) {
        this.processes = processes;
        this.bridge = new HostBridge(processes);
    }

    static String namespace(GuestId id) { return "slice-" + id.value(); }

    static Path namespacePath(GuestId id) { return NETNS_DIR.resolve(namespace(id)); }

    /** The host end of the veth pair: interface names have at most 15 characters, so it is named by a hash of the id. */
    static String hostInterface(GuestId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
            return "slv" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates the namespace alone (a guest without network still gets its own, empty one). */
    void ensureNamespace(GuestId id) {
        if (!Files.exists(namespacePath(id))) {
            ProcessResult result = processes.run(ip("netns", "add", namespace(id)));
            // Another caller may have made it meanwhile; only a namespace that is still missing is an error.
            if (!result.succeeded() && !Files.exists(namespacePath(id))) {
                throw new HostCommandException("could not create network namespace " + namespace(id) + ": "
                        + result.stderr().strip(), result);
            }
        }
        processes.runChecked(ipIn(id, "link", "set", "lo", "up"));
    }

    /** Makes the namespace, the veth pair and the addresses exist as the spec says; repeating it changes nothing. */
    void ensure(GuestId id, NetworkConfig network) {
        ensureNamespace(id);
        if (network == null) return;
        bridge.ensure(network.bridge());
        String host = hostInterface(id);
        if (!Files.exists(Path.of("/sys/class/net", host))) {
            processes.runChecked(ip("link", "add", host, "type", "veth", "peer", "name", GUEST_INTERFACE,
                    "netns", namespace(id)));
        }
        processes.runChecked(ip("link", "set", host, "master", network.bridge(), "up"));
        processes.runChecked(ipIn(id, "link", "set", GUEST_INTERFACE, "address", network.mac()));
        processes.runChecked(ipIn(id, "address", "replace", network.address(), "dev", GUEST_INTERFACE));
        processes.runChecked(ipIn(id, "link", "set", GUEST_INTERFACE, "up"));
        processes.runChecked(ipIn(id, "route", "replace", "default", "via", network.gateway(), "dev", GUEST_INTERFACE));
    }

    /**
     * Limits what the guest sends to {@code mbit} megabits per second with a token bucket on its
     * {@code eth0}, set from the host: the guest has no CAP_NET_ADMIN and cannot lift it. 0 removes the limit.
     */
    void limitBandwidth(GuestId id, int mbit) {
        if (mbit == 0) {
            processes.run(tcIn(id, "qdisc", "del", "dev", GUEST_INTERFACE, "root"));
            return;
        }
        // A bucket of 10 ms at full rate (at least 16 KiB), so short bursts are not cut below the rate.
        long burstBytes = Math.max(16 * 1024, mbit * 1_000_000L / 8 / 100);
        processes.runChecked(tcIn(id, "qdisc", "replace", "dev", GUEST_INTERFACE, "root", "tbf",
                "rate", mbit + "mbit", "burst", Long.toString(burstBytes), "latency", "50ms"));
    }

    /** Removes the namespace (which takes the veth pair with it); removing what is absent succeeds. */
    void remove(GuestId id) {
        if (Files.exists(namespacePath(id))) processes.run(ip("netns", "delete", namespace(id)));
        String host = hostInterface(id);
        if (Files.exists(Path.of("/sys/class/net", host))) processes.run(ip("link", "delete", host));
    }

    /** Bytes through the host end of the veth: what the host sends is what the guest receives. */
    long[] guestRxTxBytes(GuestId id) {
        Path stats = Path.of("/sys/class/net", hostInterface(id), "statistics");
        try {
            long hostTx = Long.parseLong(Files.readString(stats.resolve("tx_bytes")).strip());
            long hostRx = Long.parseLong(Files.readString(stats.resolve("rx_bytes")).strip());
            return new long[] {hostTx, hostRx};
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    private static HostCommand ip(String... args) {
        return HostCommand.of(HostTools.path("ip")).withArgs(args);
    }

    private static HostCommand tcIn(GuestId id, String... args) {
        return HostCommand.of(HostTools.path("tc"), "-netns", namespace(id)).withArgs(args);
    }

    private static HostCommand ipIn(GuestId id, String... args) {
        return HostCommand.of(HostTools.path("ip"), "-netns", namespace(id)).withArgs(args);
    }
}
