package dev.slice.driver.firewall;

/** What a matching packet meets: allowed through to the guest, or dropped on the host side. */
public enum FirewallAction {
    ALLOW, DENY;

    String verdict() { return this == ALLOW ? "accept" : "drop"; }
}
