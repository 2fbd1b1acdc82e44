package dev.slice.firewall;

import dev.slice.driver.firewall.FirewallAction;
import dev.slice.driver.firewall.FirewallPolicy;
import dev.slice.driver.firewall.FirewallProtocol;
import dev.slice.driver.firewall.FirewallRule;
import dev.slice.driver.firewall.PortRange;
import dev.slice.driver.firewall.SourceCidr;
import dev.slice.error.ValidationException;
import dev.slice.error.ValidationException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The firewall as the API and the panel write it, and its reading into typed values: every problem is a
 * {@link ValidationException} naming the field ({@code defaultAction}, {@code rules}, {@code rules[2].source}).
 */
public final class FirewallInput {
    private FirewallInput() {}

    /** One rule: action allow|deny, protocol tcp|udp|icmp|any, ports "22" or "8000-8080" (tcp, udp), source a CIDR. */
    public record Rule(String action, String protocol, String ports, String source) {
        public static Rule of(FirewallRule rule) {
            return new Rule(rule.action().name().toLowerCase(Locale.ROOT), rule.protocol().name().toLowerCase(Locale.ROOT),
                    rule.ports() == null ? null : rule.ports().toString(), rule.source() == null ? null : rule.source().toString());
        }
    }

    /** The whole firewall: what meets packets no rule matches, and the rules, first match wins. */
    public record Firewall(String defaultAction, List<Rule> rules) {
        public static Firewall of(FirewallPolicy policy) {
            return new Firewall(policy.defaultAction().name().toLowerCase(Locale.ROOT), policy.rules().stream().map(Rule::of).toList());
        }
    }

    public static FirewallPolicy policy(Firewall input) {
        if (input == null) throw new ValidationException("defaultAction", "send the firewall: a default action and its rules");
        List<FieldError> errors = new ArrayList<>();
        FirewallAction defaultAction = null;
        try {
            defaultAction = action(input.defaultAction());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("defaultAction", e.getMessage()));
        }
        List<Rule> given = input.rules() == null ? List.of() : input.rules();
        if (given.size() > FirewallLimits.MAX_RULES) {
            errors.add(new FieldError("rules", "at most " + FirewallLimits.MAX_RULES + " rules; " + given.size() + " were sent"));
        }
        List<FirewallRule> rules = new ArrayList<>();
        for (int i = 0; i < given.size() && i < FirewallLimits.MAX_RULES; i++) {
            try {
                rules.add(rule(given.get(i), "rules[" + i + "]."));
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return new FirewallPolicy(defaultAction, rules);
    }

    /** @param field the prefix of the fields named in errors, e.g. {@code rules[2].} or empty */
    public static FirewallRule rule(Rule input, String field) {
        if (input == null) throw new ValidationException(field.isEmpty() ? "action" : field.substring(0, field.length() - 1), "a rule is needed");
        FirewallAction action = read(field + "action", () -> action(input.action()));
        FirewallProtocol protocol = read(field + "protocol", () -> protocol(input.protocol()));
        PortRange ports = read(field + "ports", () -> blank(input.ports()) ? null : PortRange.parse(input.ports()));
        if (ports != null && !protocol.hasPorts()) {
            throw new ValidationException(field + "ports", "only tcp and udp rules have ports; leave it empty for " + input.protocol().strip());
        }
        SourceCidr source = read(field + "source", () -> blank(input.source()) ? null : SourceCidr.parse(input.source()));
        return new FirewallRule(action, protocol, ports, source);
    }

    private static FirewallAction action(String text) {
        if (blank(text)) throw new IllegalArgumentException("choose allow or deny");
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "allow" -> FirewallAction.ALLOW;
            case "deny" -> FirewallAction.DENY;
            default -> throw new IllegalArgumentException("'" + clip(text) + "' is not allow or deny");
        };
    }

    private static FirewallProtocol protocol(String text) {
        if (blank(text)) throw new IllegalArgumentException("choose tcp, udp, icmp or any");
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "tcp" -> FirewallProtocol.TCP;
            case "udp" -> FirewallProtocol.UDP;
            case "icmp" -> FirewallProtocol.ICMP;
            case "any" -> FirewallProtocol.ANY;
            default -> throw new IllegalArgumentException("unknown protocol '" + clip(text) + "': choose tcp, udp, icmp or any");
        };
    }

    private interface Reading<T> { T read(); }

    private static <T> T read(String field, Reading<T> reading) {
        try {
            return reading.read();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(field, e.getMessage());
        }
    }

    private static boolean blank(String text) { return text == null || text.isBlank(); }

    private static String clip(String text) {
        String t = text.strip().replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 20 ? t : t.substring(0, 20) + "...";
    }
}
