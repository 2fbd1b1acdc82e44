package dev.slice.driver.firewall;

import java.util.List;
import java.util.Objects;

/** A server's inbound rules, first match wins, and what meets packets no rule matches. */
public record FirewallPolicy(FirewallAction defaultAction, List<FirewallRule> rules) {
    /** No rules and everything allowed: how a server starts, and the same as having no firewall. */
    public static final FirewallPolicy OPEN = new FirewallPolicy(FirewallAction.ALLOW, List.of());

    public FirewallPolicy {
        Objects.requireNonNull(defaultAction, "defaultAction");
        rules = List.copyOf(rules);
    }
}
