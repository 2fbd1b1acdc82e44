package dev.slice.provisioning;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.DriverException;
import dev.slice.driver.registry.DriverRegistry;
import dev.slice.node.NodeService;
import org.springframework.stereotype.Component;

/**
 * The driver for a server's node and backend. Slice runs one node per installation for now: the node
 * named by {@code slice.node-name} is this host and its drivers are the registry's.
 */
@Component
public class NodeDrivers {
    private final DriverRegistry registry;
    private final NodeService nodes;
    private final String localNode;

    public NodeDrivers(DriverRegistry registry, NodeService nodes, dev.slice.orchestrator.SliceProperties properties) {
        this.registry = registry;
        this.nodes = nodes;
        this.localNode = properties.nodeName();
    }

    /** Throws a (retryable) {@link DriverException} if the node is not this host or the backend is unavailable now. */
    public Driver driver(long nodeId, String backend) {
        String name = nodes.find(nodeId).map(n -> n.name()).orElse("#" + nodeId);
        if (!name.equals(localNode)) {
            throw new DriverException("node " + name + " is not this host (" + localNode + "); remote nodes are not supported yet");
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
