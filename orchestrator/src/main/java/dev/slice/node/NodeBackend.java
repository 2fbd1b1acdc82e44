package dev.slice.node;

import java.time.Instant;

/** What one backend's probe said on a node. */
public record NodeBackend(String backend, String driverName, boolean available, String version, String detail, Instant probedAt) {}
