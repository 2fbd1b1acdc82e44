package dev.slice.node;

import java.util.List;

/** A node with what is allocated on it (sum over its servers that are not deleted) and its backends. */
public record NodeView(Node node, int usedVcpus, long usedMemoryMiB, long usedDiskMiB, int servers, List<NodeBackend> backends) {}
