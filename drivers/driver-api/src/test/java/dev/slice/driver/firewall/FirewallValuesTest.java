package dev.slice.driver.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sources and ports parse strictly (no name look-up, host bits cleared) and render as nft reads them. */
class FirewallValuesTest {
    @Test
    void sourcesAreAddressLiteralsInCanonicalForm() {
        assertThat(SourceCidr.parse("192.0.2.77/24")).hasToString("192.0.2.0/24");
        assertThat(SourceCidr.parse("203.0.113.5")).hasToString("203.0.113.5/32");
        assertThat(SourceCidr.parse("2001:db8::1/32").toString()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
        assertThat(SourceCidr.parse("2001:db8::1/32").isIpv4()).isFalse();
        for (String bad : List.of("example.com", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "999.1.1.1", "10.0.0.0/x", "1.2.3.4; flush"))
            assertThatThrownBy(() -> SourceCidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void portsAreOneToFiftyFiveThousandFiveHundredThirtyFive() {
        assertThat(PortRange.parse("22")).isEqualTo(PortRange.of(22));
        assertThat(PortRange.parse("8000-8080")).hasToString("8000-8080");
        for (String bad : List.of("0", "65536", "90-80", "http", "1-"))
            assertThatThrownBy(() -> PortRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FirewallRule(FirewallAction.ALLOW, FirewallProtocol.ICMP, PortRange.of(1), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theScriptIsOneTransactionOfSlicesOwnTable() {
        String script = NftFirewall.script("slv0123456789", new FirewallPolicy(FirewallAction.DENY, List.of(
                new FirewallRule(FirewallAction.ALLOW, FirewallProtocol.UDP, new PortRange(53, 54), SourceCidr.parse("2001:db8::/48")))));
        assertThat(script).contains("add rule bridge slice fw-slv0123456789 ip6 saddr 2001:db8:0:0:0:0:0:0/48 meta l4proto udp th dport 53-54 accept")
                .endsWith("add rule bridge slice fw-slv0123456789 drop\n");
        assertThat(script.lines()).allMatch(l -> l.contains("bridge slice"));
        assertThatThrownBy(() -> NftFirewall.script("eth0; flush ruleset", FirewallPolicy.OPEN)).isInstanceOf(IllegalArgumentException.class);
    }
}
