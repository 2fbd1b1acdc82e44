package dev.slice.driver.firewall;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A guest's inbound rules on the host side of its interface, in nftables table {@code bridge slice} (Slice's own; no
 * other table is touched): one chain {@code fw-<interface>} per guest, reached through the verdict map {@code ports}
 * from the bridge's forward hook (packets from other bridge ports) and output hook (packets from the host itself).
 * Every change is one {@code nft -f} transaction, so a guest is never without its rules half-way.
 *
 * <p>The bridge family has no connection tracking on kernels without nf_conntrack_bridge, so the rules are stateless
 * and judge what opens a connection: TCP packets other than a bare SYN (replies to the guest's own connections) always
 * pass, as do ARP, IPv6 neighbour discovery and ICMP replies and errors. UDP and ICMP requests meet the rules packet by
 * packet, so under a default deny the guest's own UDP exchanges (DNS) need a rule for the replies' port.
 */
public final class NftFirewall {
    public static final String TABLE = "bridge slice";
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ProcessRunner processes;
    private final List<String> prefix;

    public NftFirewall(ProcessRunner processes) {
        this(processes, List.of());
    }

    private NftFirewall(ProcessRunner processes, List<String> prefix) {
        this.processes = processes;
        this.prefix = List.copyOf(prefix);
    }

    /** The same, in another network namespace (the tests' own). */
    public static NftFirewall inNamespace(ProcessRunner processes, String namespace) {
        return new NftFirewall(processes, List.of("ip", "netns", "exec", namespace));
    }

    /** Makes {@code device}'s chain hold exactly {@code policy}. Idempotent. */
    public void apply(String device, FirewallPolicy policy) {
        run(script(device, policy));
    }

    /** Removes {@code device}'s chain and its map entry; an absent one is fine. */
    public void remove(String device) {
        run(removal(device));
    }

    /** The chain as nft lists it, for diagnostics and tests; empty when there is none. */
    public String list(String device) {
        var result = processes.run(command("list", "chain", "bridge", "slice", chain(device)));
        return result.succeeded() ? result.stdout() : "";
    }

    static String script(String device, FirewallPolicy policy) {
        String chain = chain(device);
        List<String> lines = new ArrayList<>(skeleton(device));
        lines.add("flush chain " + TABLE + " " + chain);
        String rule = "add rule " + TABLE + " " + chain + " ";
        lines.add(rule + "meta protocol != { ip, ip6 } accept");
        lines.add(rule + "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, nd-redirect } accept");
        lines.add(rule + "meta l4proto tcp tcp flags & (syn | ack) != syn accept");
        lines.add(rule + "icmp type { echo-reply, destination-unreachable, time-exceeded, parameter-problem } accept");
        lines.add(rule + "icmpv6 type { echo-reply, destination-unreachable, packet-too-big, time-exceeded, parameter-problem } accept");
        for (FirewallRule r : policy.rules()) lines.add(rule + match(r) + r.action().verdict());
        lines.add(rule + policy.defaultAction().verdict());
        return String.join("\n", lines) + "\n";
    }

    static String removal(String device) {
        List<String> lines = new ArrayList<>(skeleton(device));
        lines.add("delete element " + TABLE + " ports { \"" + device + "\" }");
        lines.add("delete chain " + TABLE + " " + chain(device));
        return String.join("\n", lines) + "\n";
    }

    /** The table, its map and hooks, and the device's chain and map entry, whatever existed before (add is idempotent). */
    private static List<String> skeleton(String device) {
        String chain = chain(device);
        List<String> lines = new ArrayList<>();
        lines.add("add table " + TABLE);
        lines.add("add map " + TABLE + " ports { type ifname : verdict; }");
        for (String hook : List.of("forward", "output")) {
            lines.add("add chain " + TABLE + " " + hook + " { type filter hook " + hook + " priority 0; policy accept; }");
            lines.add("flush chain " + TABLE + " " + hook);
            lines.add("add rule " + TABLE + " " + hook + " oifname vmap @ports");
        }
        lines.add("add chain " + TABLE + " " + chain);
        lines.add("add element " + TABLE + " ports { \"" + device + "\" : jump " + chain + " }");
        return lines;
    }

    private static String match(FirewallRule r) {
        StringBuilder m = new StringBuilder();
        if (r.source() != null) m.append(r.source().isIpv4() ? "ip saddr " : "ip6 saddr ").append(r.source()).append(' ');
        switch (r.protocol()) {
            case TCP -> m.append("meta l4proto tcp ");
            case UDP -> m.append("meta l4proto udp ");
            case ICMP -> m.append("meta l4proto { icmp, ipv6-icmp } ");
            case ANY -> { }
        }
        if (r.ports() != null) m.append("th dport ").append(r.ports()).append(' ');
        return m.toString();
    }

    static String chain(String device) {
        if (!DEVICE.matcher(device).matches()) throw new IllegalArgumentException("not an interface name: '" + device + "'");
        return "fw-" + device;
    }

    private void run(String script) {
        processes.runChecked(command("-f", "-").withStdin(script.getBytes(StandardCharsets.UTF_8)));
    }

    private HostCommand command(String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add("nft");
        argv.addAll(List.of(args));
        return HostCommand.of(argv).withTimeout(TIMEOUT);
    }
}
