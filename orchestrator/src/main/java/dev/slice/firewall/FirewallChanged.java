package dev.slice.firewall;

/** A server's firewall rows changed (committed); its node applies them at once if it is this process's. */
public record FirewallChanged(long serverId) {}
