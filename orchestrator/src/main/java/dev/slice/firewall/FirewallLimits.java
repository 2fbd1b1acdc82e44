package dev.slice.firewall;

/** The firewall's bounds, in one place: the API, the panel and the checks all read these. */
public final class FirewallLimits {
    /** Rules per server; each is one nft rule tried in order, so the list stays short enough to read and to evaluate. */
    public static final int MAX_RULES = 64;

    private FirewallLimits() {}
}
