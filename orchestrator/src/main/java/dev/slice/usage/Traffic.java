package dev.slice.usage;

/** Bytes a guest received and sent. */
public record Traffic(long rxBytes, long txBytes) {}
