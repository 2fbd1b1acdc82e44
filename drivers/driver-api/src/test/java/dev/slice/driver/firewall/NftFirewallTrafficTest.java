package dev.slice.driver.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.driver.host.HostCommand;
import dev.slice.driver.host.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real packets through real nftables rules, all inside three network namespaces this test makes: a "host" namespace
 * holding a bridge with two ports, like a node's, a "guest" namespace behind one (listening on TCP 80 and 81) and a
 * "client" namespace behind the other (two addresses, to come from two sources). Addresses are in 10.251.77.0/24,
 * which only these namespaces have; the host's own ruleset is not touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftFirewallTrafficTest {
    private static final String GUEST = "10.251.77.2";
    private static final String CLIENT = "10.251.77.10";
    private static final String OTHER_CLIENT = "10.251.77.11";
    private static final String GUEST_PORT = "fwtg0"; // the guest's interface on the host side, as a driver names it

    private final ProcessRunner processes = new ProcessRunner();
    private final String tag = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt() & 0xfffff, 5);
    private final String host = "fwt-h-" + tag;
    private final String guest = "fwt-g-" + tag;
    private final String client = "fwt-c-" + tag;
    private final List<Process> listeners = new ArrayList<>();
    private NftFirewall firewall;

    @BeforeAll
    void namespaces() {
        for (String ns : List.of(host, guest, client)) ip("netns", "add", ns);
        in(host, "ip", "link", "add", "br0", "type", "bridge");
        in(host, "ip", "link", "add", GUEST_PORT, "type", "veth", "peer", "name", "eth0", "netns", guest);
        in(host, "ip", "link", "add", "fwtc0", "type", "veth", "peer", "name", "eth0", "netns", client);
        for (String port : List.of(GUEST_PORT, "fwtc0")) in(host, "ip", "link", "set", port, "master", "br0", "up");
        in(host, "ip", "link", "set", "br0", "up");
        in(guest, "ip", "address", "add", GUEST + "/24", "dev", "eth0");
        in(client, "ip", "address", "add", CLIENT + "/24", "dev", "eth0");
        in(client, "ip", "address", "add", OTHER_CLIENT + "/24", "dev", "eth0");
        for (String ns : List.of(guest, client)) {
            in(ns, "ip", "link", "set", "lo", "up");
            in(ns, "ip", "link", "set", "eth0", "up");
        }
        for (String port : List.of("80", "81")) {
            listeners.add(processes.startAttached(HostCommand.of("ip", "netns", "exec", guest, "socat",
                    "TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo port" + port)));
        }
        firewall = NftFirewall.inNamespace(processes, host);
        // The listeners are up once they answer (no firewall yet); bounded by the number of tries.
        for (int i = 0; i < 100 && !(answers(CLIENT, 80) && answers(CLIENT, 81)); i++) Thread.onSpinWait();
        assertThat(answers(CLIENT, 80) && answers(CLIENT, 81) && pings()).as("the namespaces' network works without rules").isTrue();
    }

    @AfterAll
    void cleanUp() {
        listeners.forEach(p -> { p.descendants().forEach(ProcessHandle::destroyForcibly); p.destroyForcibly(); });
        for (String ns : List.of(client, guest, host)) processes.run(HostCommand.of("ip", "netns", "delete", ns));
    }

    @Test
    void anAllowedPortAnswersAndOthersAreDroppedUnderADefaultDeny() {
        firewall.apply(GUEST_PORT, new FirewallPolicy(FirewallAction.DENY, List.of(
                new FirewallRule(FirewallAction.ALLOW, FirewallProtocol.TCP, PortRange.of(80), null))));
        assertThat(answers(CLIENT, 80)).as("allowed tcp/80").isTrue();
        assertThat(answers(CLIENT, 81)).as("tcp/81, no rule, default deny").isFalse();
        assertThat(pings()).as("icmp, no rule, default deny").isFalse();

        firewall.apply(GUEST_PORT, new FirewallPolicy(FirewallAction.DENY, List.of(
                new FirewallRule(FirewallAction.ALLOW, FirewallProtocol.TCP, PortRange.of(80), null),
                new FirewallRule(FirewallAction.ALLOW, FirewallProtocol.ICMP, null, null))));
        assertThat(pings()).as("icmp allowed").isTrue();
        assertThat(firewall.list(GUEST_PORT)).contains("tcp dport 80 accept").doesNotContain("81");
    }

    @Test
    void aDeniedSourceIsDroppedWhileOthersReachTheSamePort() {
        firewall.apply(GUEST_PORT, new FirewallPolicy(FirewallAction.ALLOW, List.of(
                new FirewallRule(FirewallAction.DENY, FirewallProtocol.ANY, null, SourceCidr.parse(OTHER_CLIENT + "/32")),
                new FirewallRule(FirewallAction.DENY, FirewallProtocol.TCP, new PortRange(81, 90), SourceCidr.parse("10.251.77.8/29")))));
        assertThat(answers(CLIENT, 80)).as("from .10 to 80").isTrue();
        assertThat(answers(OTHER_CLIENT, 80)).as("from the denied .11").isFalse();
        assertThat(answers(CLIENT, 81)).as("from .10 in the denied /29 to 81-90").isFalse();
        assertThat(pings()).as("icmp from .10, default allow").isTrue();
    }

    @Test
    void removingTheRulesOpensThePortsAgainAndRemovingTwiceIsFine() {
        firewall.apply(GUEST_PORT, new FirewallPolicy(FirewallAction.DENY, List.of()));
        assertThat(answers(CLIENT, 80)).isFalse();
        firewall.remove(GUEST_PORT);
        firewall.remove(GUEST_PORT);
        assertThat(firewall.list(GUEST_PORT)).isEmpty();
        assertThat(answers(CLIENT, 80) && answers(CLIENT, 81)).isTrue();
    }

    /** Whether a TCP connection from {@code source} gets the listener's answer; a dropped SYN gives up after one second. */
    private boolean answers(String source, int port) {
        var result = processes.run(HostCommand.of("ip", "netns", "exec", client, "socat", "-T1", "-",
                "TCP:" + GUEST + ":" + port + ",bind=" + source + ",connect-timeout=1").withTimeout(Duration.ofSeconds(10)));
        return result.succeeded() && result.stdout().contains("port" + port);
    }

    private boolean pings() {
        return processes.run(HostCommand.of("ip", "netns", "exec", client, "ping", "-c1", "-W1", GUEST)
                .withTimeout(Duration.ofSeconds(10))).succeeded();
    }

    private void ip(String... args) {
        processes.runChecked(HostCommand.of("ip").withArgs(args));
    }

    private void in(String ns, String... args) {
        processes.runChecked(HostCommand.of("ip", "netns", "exec", ns).withArgs(args));
    }
}
