package dev.slice.node;

/** A node just added (or given a new credential): the credential is in this answer only, never stored. */
public record NewNode(NodeView node, String credential) {}
