package dev.slice.driver.capability;

/** Marker for optional driver features; absent means the backend does not support it and the UI hides it. */
public interface Capability {}
