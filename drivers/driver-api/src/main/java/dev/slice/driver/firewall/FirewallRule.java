package dev.slice.driver.firewall;

import java.util.Objects;

/**
 * One inbound rule: packets to the guest of {@code protocol}, to a port in {@code ports} (TCP and UDP only; null for
 * every port), from {@code source} (null for anywhere).
 */
public record FirewallRule(FirewallAction action, FirewallProtocol protocol, PortRange ports, SourceCidr source) {
    public FirewallRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(protocol, "protocol");
        if (ports != null && !protocol.hasPorts()) throw new IllegalArgumentException("only tcp and udp rules have ports");
    }
}
