package dev.slice.node;

import java.util.List;

/**
 * A node with what is allocated on it (sum over its servers that are not deleted), its backends and its agent
 * (null only before the node's agent row exists).
 */
public record NodeView(Node node, int usedVcpus, long usedMemoryMiB, long usedDiskMiB, int servers, List<NodeBackend> backends,
                       NodeAgentStatus agent) {}
