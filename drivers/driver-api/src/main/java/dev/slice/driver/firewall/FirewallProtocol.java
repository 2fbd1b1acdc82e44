package dev.slice.driver.firewall;

/** The protocols a rule can name; only TCP and UDP have ports. {@code ICMP} is ICMP and ICMPv6 alike. */
public enum FirewallProtocol {
    TCP, UDP, ICMP, ANY;

    public boolean hasPorts() { return this == TCP || this == UDP; }
}
