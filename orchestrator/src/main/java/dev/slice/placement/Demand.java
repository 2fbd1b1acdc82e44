package dev.slice.placement;

/** What one server takes from a node. */
public record Demand(int vcpus, long memoryMiB, long diskMiB) {}
