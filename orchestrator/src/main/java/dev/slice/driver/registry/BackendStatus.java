package dev.slice.driver.registry;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Capacity;
import java.util.Set;

/**
 * What this host offers for one backend kind, as the operator view shows it.
 *
 * @param driverName   the driver's name, or null when no driver for the kind is installed
 * @param detail       what the driver uses, or why the backend is missing and how to fix it
 * @param capabilities optional features: console, stats, resize, snapshots, migration
 */
public record BackendStatus(BackendKind kind, String driverName, boolean available, String version, String detail,
                            Capacity capacity, Set<String> capabilities) {}
