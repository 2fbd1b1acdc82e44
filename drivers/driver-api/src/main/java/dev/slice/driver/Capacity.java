package dev.slice.driver;

/** Physical resources a host offers to one backend, before overcommit. */
public record Capacity(int cpus, long memoryMiB, long diskMiB) {}
