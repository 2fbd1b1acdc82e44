package dev.slice.provisioning;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.node.NodeService;
import org.springframework.stereotype.Component;

/**
 * The driver for a server's node and backend. The node this process is the agent of ({@code slice.node.name}) is this
 * host and its drivers are the registry's; another node's jobs are claimed by that node's own agent only
 * ({@code job/ClaimScope}), so a job step never asks here for another node's driver.
 */
@Component
public class NodeDrivers {
    private final DriverRegistry registry;
    private final NodeService nodes;
    private final String localNode;

    public NodeDrivers(DriverRegistry registry, NodeService nodes, dev.slice.orchestrator.SliceProperties properties) {
        this.registry = registry;
        this.nodes = nodes;
        // A control plane without a node agent drives no host itself.
        this.localNode = properties.isNodeAgent() ? properties.nodeName() : "";
    }

    /** Throws a (retryable) {@link DriverException} if the node is not this process's or the backend is unavailable now. */
    public Driver driver(long nodeId, String backend) {
        String name = nodes.find(nodeId).map(n -> n.name()).orElse("#" + nodeId);
        if (!name.equals(localNode)) {
            throw new DriverException("node " + name + " is driven by its own node agent, not by this process"
                    + (localNode.isEmpty() ? "" : " (the agent of " + localNode + ")"));
        }
        BackendKind kind = BackendKind.fromId(backend);
        return registry.driver(kind).orElseThrow(() -> new DriverException("the " + backend + " backend is not available on node "
                + name + ": " + registry.status(kind).detail()));
    }

    public boolean isLocal(String nodeName) {
        return localNode.equals(nodeName);
    }

    public String localNodeName() {
        return localNode;
    }
}
