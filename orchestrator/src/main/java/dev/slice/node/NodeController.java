package dev.slice.node;

import dev.slice.account.Actor;
import dev.slice.api.Page;
import dev.slice.api.Paging;
import dev.slice.api.SliceApi;
import dev.slice.audit.AuditEntry;
import dev.slice.audit.AuditLog;
import dev.slice.driver.registry.BackendStatus;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.error.ForbiddenException;
import dev.slice.reconciler.Finding;
import dev.slice.reconciler.Reconciler;
import dev.slice.security.AccessRules;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator endpoints: nodes, backends found on this host, reconciler findings, audit log. */
@SliceApi
@RestController
@RequestMapping("/api")
public class NodeController {
    private final NodeService nodes;
    private final DriverRegistry registry;
    private final Reconciler reconciler;
    private final AuditLog audit;

    NodeController(NodeService nodes, DriverRegistry registry, Reconciler reconciler, AuditLog audit) {
        this.nodes = nodes;
        this.registry = registry;
        this.reconciler = reconciler;
        this.audit = audit;
    }

    public record Overcommit(double cpu, double memory, double disk) {}

    /** A node to add for an agent on another host. */
    public record NodeRequest(String name) {}

    /** Adds a node; the answer's {@code credential} is for its agent ({@code slice.node.credential}) and shown only here. */
    @PostMapping("/nodes")
    @org.springframework.web.bind.annotation.ResponseStatus(org.springframework.http.HttpStatus.CREATED)
    NewNode add(Actor actor, @RequestBody NodeRequest request) {
        return nodes.add(actor, request.name());
    }

    /** A new credential for the node's agent; the old one stops working at once (the agent must restart with the new). */
    @PostMapping("/nodes/{id}/credential")
    NewNode credential(Actor actor, @PathVariable long id) {
        return nodes.newCredential(actor, id);
    }

    @GetMapping("/nodes")
    List<NodeView> list(Actor actor) {
        return nodes.list(actor);
    }

    @GetMapping("/nodes/{id}")
    NodeView get(Actor actor, @PathVariable long id) {
        return nodes.get(actor, id);
    }

    @PutMapping("/nodes/{id}/overcommit")
    NodeView overcommit(Actor actor, @PathVariable long id, @RequestBody Overcommit ratios) {
        return nodes.setOvercommit(actor, id, ratios.cpu(), ratios.memory(), ratios.disk());
    }

    /** {@code nodeGroup}: the node's group (a location); {@code draining}: true takes no new servers on it. */
    public record PlacementRequest(String nodeGroup, boolean draining) {}

    @PutMapping("/nodes/{id}/placement")
    NodeView placement(Actor actor, @PathVariable long id, @RequestBody PlacementRequest request) {
        return nodes.setPlacement(actor, id, request.nodeGroup(), request.draining());
    }

    @GetMapping("/drivers")
    List<BackendStatus> drivers(Actor actor) {
        requireOperator(actor);
        return registry.statuses();
    }

    @GetMapping("/reconciler/findings")
    List<Finding> findings(Actor actor) {
        return reconciler.findings(actor);
    }

    @PostMapping("/reconciler/run")
    List<Finding> reconcile(Actor actor) {
        requireOperator(actor);
        return reconciler.runOnce();
    }

    @GetMapping("/audit")
    Page<AuditEntry> audit(Actor actor, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        Paging.check(offset, limit);
        return new Page<>(audit.page(actor, offset, limit), audit.count(actor));
    }

    private static void requireOperator(Actor actor) {
        if (!AccessRules.canOperate(actor)) throw new ForbiddenException("operators only");
    }
}
