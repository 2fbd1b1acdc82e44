package dev.slice.driver.oci;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.NetworkConfig;
import dev.slice.driver.host.HostBridge;
import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.HostCommandException;
import dev.slice.driver.host.ProcessResult;
import dev.slice.driver.host.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A guest's network: a named network namespace ({@code slice-<id>}, so it outlives the container and
 * is easy to find and remove) holding {@code eth0} with the guest's MAC, address and default route,
 * and the other end of that veth pair on the node bridge. Configured from the host before the
 * container starts, so the guest is reachable the moment it runs.
 */
final class GuestNetwork {
    static final String GUEST_INTERFACE = "eth0";
    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final long IFF_UP = 0x1;
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(5);
    private static final Pattern BATCH_LINE = Pattern.compile("[A-Za-z0-9_.:/-]+( [A-Za-z0-9_.:/-]+)*");
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

    /**
     * Makes the namespace, the veth pair and the addresses exist as the spec says (a guest without
     * network gets its own, empty namespace); repeating it changes nothing. Two {@code ip -batch}
     * processes do it all: one on the host (namespace, veth, bridge port), one in the namespace
     * (loopback, eth0's MAC, address, link and default route), instead of one process per step.
     *
     * @return true when the namespace was made here, so it cannot hold anything from before (no qdisc)
     */
    boolean ensure(GuestId id, NetworkConfig network) {
        if (network != null) ensureBridgeUp(network.bridge());
        boolean fresh = !Files.exists(namespacePath(id));
        String host = hostInterface(id);
        // A host end without the namespace is left over from a namespace removed behind Slice's back (a host
        // reboot that kept /sys, someone's ip netns delete): the kernel removes such a pair a little later.
        if (fresh && network != null) removeLeftoverHostEnd(host);
        List<String> onHost = new ArrayList<>();
        if (fresh) onHost.add("netns add " + namespace(id));
        if (network != null) {
            if (!Files.exists(Path.of("/sys/class/net", host))) {
                onHost.add("link add " + host + " type veth peer name " + GUEST_INTERFACE + " netns " + namespace(id));
            }
            onHost.add("link set " + host + " master " + network.bridge() + " up");
        }
        if (!onHost.isEmpty()) {
            ProcessResult result = processes.run(batch(ip("-batch", "-"), onHost));
            // Another caller may have made the namespace meanwhile: once more from what exists now.
            if (!result.succeeded() && fresh && Files.exists(namespacePath(id))) {
                ensure(id, network);
                return false;
            }
            if (!result.succeeded()) {
                throw new HostCommandException("could not set up the network of " + id + ": " + result.stderr().strip(), result);
            }
        }
        List<String> inside = new ArrayList<>(List.of("link set lo up"));
        if (network != null) {
            inside.add("link set " + GUEST_INTERFACE + " address " + network.mac());
            inside.add("address replace " + network.address() + " dev " + GUEST_INTERFACE);
            inside.add("link set " + GUEST_INTERFACE + " up");
            inside.add("route replace default via " + network.gateway() + " dev " + GUEST_INTERFACE);
        }
        processes.runChecked(batch(ip("-netns", namespace(id), "-batch", "-"), inside));
        return fresh;
    }

    private void removeLeftoverHostEnd(String host) {
        Path device = Path.of("/sys/class/net", host);
        if (!Files.exists(device)) return;
        processes.run(ip("link", "delete", host)); // may be gone already; what counts is that it is gone below
        long deadline = System.nanoTime() + LEFTOVER_WAIT.toNanos();
        while (Files.exists(device)) {
            if (System.nanoTime() > deadline) {
                throw new DriverException("the leftover interface " + host + " of a removed network namespace is still there after "
                        + LEFTOVER_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DriverException("interrupted while waiting for " + host + " to go");
            }
        }
    }

    /** HostBridge.ensure always runs {@code ip link set <bridge> up}; a bridge that is up already needs no process. */
    private void ensureBridgeUp(String name) {
        if (HostBridge.exists(name) && isUp(name)) return;
        bridge.ensure(name);
    }

    private static boolean isUp(String interfaceName) {
        try {
            String flags = Files.readString(Path.of("/sys/class/net", interfaceName, "flags")).strip();
            return (Long.decode(flags) & IFF_UP) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * One command per line on the program's standard input. ip splits the lines at white space and
     * reads quotes and '#': every word here is a name or address checked by GuestId / NetworkConfig,
     * and anything else is refused rather than passed on.
     */
    private static HostCommand batch(HostCommand program, List<String> lines) {
        for (String line : lines) {
            if (!BATCH_LINE.matcher(line).matches()) throw new IllegalArgumentException("not a plain ip command: " + line);
        }
        return program.withStdin((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Limits the guest to {@code mbit} megabits per second each way with token buckets, set from the host:
     * on its {@code eth0} for what it sends (the guest has no CAP_NET_ADMIN and cannot lift it), and on the
     * host end of the veth for what it receives. 0 removes the limit.
     */
    void limitBandwidth(GuestId id, int mbit) {
        String host = hostInterface(id);
        if (mbit == 0) {
            processes.run(tcIn(id, "qdisc", "del", "dev", GUEST_INTERFACE, "root"));
            processes.run(HostCommand.of(HostTools.path("tc"), "qdisc", "del", "dev", host, "root"));
            return;
        }
        // A bucket of 10 ms at full rate (at least 16 KiB), so short bursts are not cut below the rate.
        String burst = Long.toString(Math.max(16 * 1024, mbit * 1_000_000L / 8 / 100));
        processes.runChecked(tcIn(id, "qdisc", "replace", "dev", GUEST_INTERFACE, "root", "tbf",
                "rate", mbit + "mbit", "burst", burst, "latency", "50ms"));
        processes.runChecked(HostCommand.of(HostTools.path("tc"), "qdisc", "replace", "dev", host, "root", "tbf",
                "rate", mbit + "mbit", "burst", burst, "latency", "50ms"));
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
