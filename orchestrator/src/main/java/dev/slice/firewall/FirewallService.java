package dev.slice.firewall;

import dev.slice.account.Actor;
import dev.slice.audit.AuditLog;
import dev.slice.driver.firewall.FirewallPolicy;
import dev.slice.driver.firewall.FirewallRule;
import dev.slice.error.NotFoundException;
import dev.slice.error.ValidationException;
import dev.slice.server.ServerRow;
import dev.slice.server.ServerService;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A server's inbound firewall, read by whoever may see the server and changed by whoever may act on it (the same rule
 * as every server action, {@link ServerService#actionable}). Each change is committed, then announced
 * ({@link FirewallChanged}) so the server's node applies it at once; the node's reconciler applies it again every pass.
 */
@Service
public class FirewallService {
    private final FirewallRepository firewalls;
    private final ServerService servers;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;

    public FirewallService(FirewallRepository firewalls, ServerService servers, TransactionTemplate transactions,
                           ApplicationEventPublisher events, AuditLog audit) {
        this.firewalls = firewalls;
        this.servers = servers;
        this.transactions = transactions;
        this.events = events;
        this.audit = audit;
    }

    public FirewallPolicy get(Actor actor, long serverId) {
        servers.get(actor, serverId);
        return firewalls.find(serverId).orElse(FirewallPolicy.OPEN);
    }

    public FirewallPolicy replace(Actor actor, long serverId, FirewallInput.Firewall input) {
        ServerRow server = servers.actionable(actor, serverId);
        FirewallPolicy policy = FirewallInput.policy(input);
        firewalls.replace(server.id(), policy);
        return changed(actor, server, policy, "replaced: default " + input.defaultAction() + ", " + policy.rules().size() + " rules");
    }

    /** Appends a rule (tried after the others, before the default action). */
    public FirewallPolicy add(Actor actor, long serverId, FirewallInput.Rule input) {
        ServerRow server = servers.actionable(actor, serverId);
        FirewallRule rule = FirewallInput.rule(input, "");
        FirewallPolicy policy = transactions.execute(tx -> {
            FirewallPolicy now = firewalls.lock(server.id(), true).orElseThrow();
            if (now.rules().size() >= FirewallLimits.MAX_RULES) {
                throw new ValidationException("rules", "this server has " + FirewallLimits.MAX_RULES + " rules, the most it may have");
            }
            List<FirewallRule> rules = new ArrayList<>(now.rules());
            rules.add(rule);
            FirewallPolicy next = new FirewallPolicy(now.defaultAction(), rules);
            firewalls.replace(server.id(), next);
            return next;
        });
        return changed(actor, server, policy, "rule added at " + (policy.rules().size() - 1));
    }

    /** Deletes the rule at {@code position} (0 is the first); the later ones move up. */
    public FirewallPolicy delete(Actor actor, long serverId, int position) {
        ServerRow server = servers.actionable(actor, serverId);
        FirewallPolicy policy = transactions.execute(tx -> {
            FirewallPolicy now = firewalls.lock(server.id(), false).orElseThrow(() -> new NotFoundException("firewall rule", position));
            if (position < 0 || position >= now.rules().size()) throw new NotFoundException("firewall rule", position);
            List<FirewallRule> rules = new ArrayList<>(now.rules());
            rules.remove(position);
            FirewallPolicy next = new FirewallPolicy(now.defaultAction(), rules);
            firewalls.replace(server.id(), next);
            return next;
        });
        return changed(actor, server, policy, "rule " + position + " deleted");
    }

    private FirewallPolicy changed(Actor actor, ServerRow server, FirewallPolicy policy, String what) {
        audit.record(actor, "server.firewall", "server", server.id(), what);
        events.publishEvent(new FirewallChanged(server.id()));
        return policy;
    }
}
