package dev.slice.driver.registry;

import dev.slice.driver.BackendKind;
import dev.slice.driver.Driver;
import dev.slice.driver.HostContext;
import dev.slice.driver.ProbeResult;
import dev.slice.driver.capability.Backups;
import dev.slice.driver.capability.Capability;
import dev.slice.driver.capability.Console;
import dev.slice.driver.capability.GuestExec;
import dev.slice.driver.capability.Migration;
import dev.slice.driver.capability.Resize;
import dev.slice.driver.capability.Snapshots;
import dev.slice.driver.capability.Stats;
import dev.slice.driver.capability.Suspend;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drivers of this host: opened once from a {@link DriverSource}, probed, and logged (which backends
 * were found, and why the others are missing). When several drivers offer one kind, the first available wins.
 */
public class DriverRegistry {
    private static final Logger log = LoggerFactory.getLogger(DriverRegistry.class);
    private static final Map<String, Class<? extends Capability>> CAPABILITIES = new LinkedHashMap<>();

    static {
        CAPABILITIES.put("console", Console.class);
        CAPABILITIES.put("stats", Stats.class);
        CAPABILITIES.put("resize", Resize.class);
        CAPABILITIES.put("snapshots", Snapshots.class);
        CAPABILITIES.put("backups", Backups.class);
        CAPABILITIES.put("migration", Migration.class);
        CAPABILITIES.put("exec", GuestExec.class);
        CAPABILITIES.put("suspend", Suspend.class);
        CAPABILITIES.put("rescue", dev.slice.driver.capability.Rescue.class);
    }

    private final HostContext context;
    private final List<Driver> drivers;
    private volatile Map<BackendKind, BackendStatus> statuses = Map.of();
    private volatile Map<BackendKind, Driver> available = Map.of();

    public DriverRegistry(DriverSource source, HostContext context) {
        this.context = context;
        this.drivers = List.copyOf(source.open(context));
        probe();
    }

    /** Probes every driver again (after the operator installed something) and logs the outcome. */
    public synchronized void probe() {
        Map<BackendKind, BackendStatus> found = new EnumMap<>(BackendKind.class);
        Map<BackendKind, Driver> usable = new EnumMap<>(BackendKind.class);
        for (Driver driver : drivers) {
            ProbeResult probe = safeProbe(driver);
            BackendStatus status = new BackendStatus(driver.kind(), driver.name(), probe.available(), probe.version(),
                    probe.detail(), probe.capacity(), capabilities(driver));
            if (probe.available() && !usable.containsKey(driver.kind())) {
                usable.put(driver.kind(), driver);
                found.put(driver.kind(), status);
            } else if (!found.containsKey(driver.kind()) || !found.get(driver.kind()).available() && probe.available()) {
                found.put(driver.kind(), status);
            }
        }
        for (BackendKind kind : BackendKind.values()) {
            found.computeIfAbsent(kind, k -> new BackendStatus(k, null, false, null, noDriverReason(k), null, Set.of()));
        }
        statuses = found;
        available = usable;
        for (BackendStatus status : found.values()) {
            if (status.available()) {
                log.info("Backend {} available: {} {} ({}), capacity {}", status.kind().id(), status.driverName(),
                        status.version(), status.detail(), status.capacity());
            } else {
                log.info("Backend {} missing: {}", status.kind().id(), status.detail());
            }
        }
    }

    /**
     * Why no driver of this kind was opened at all (a driver that was opened says itself, through its probe, what
     * it lacks): Xen is opened only on hosts configured as Xen dom0s; the others are opened on every Linux host
     * whose Slice carries their module, so their absence means the module is missing or its provider failed.
     */
    static String noDriverReason(BackendKind kind) {
        String module = switch (kind) {
            case OCI -> "driver-oci";
            case QEMU, XEN -> "driver-libvirt";
            case UML -> "driver-uml";
            case EMULATOR -> "driver-emulator";
        };
        if (kind == BackendKind.XEN) {
            return "Xen is used only on a Xen dom0 configured for it: set slice.drivers.xen.uri (e.g. xen:///system);"
                    + " this host has no such setting";
        }
        return "no " + module + " module opened " + (java.util.Set.of("emulator", "oci").contains(kind.id()) ? "an " : "a ") + kind.id() + " driver: the module is not on this Slice's class"
                + " path (the panel jar carries every driver; a custom build may leave it out), or its provider failed"
                + " to open (see the log line 'Driver provider ... failed to open'), or the host is not Linux";
    }

    private static ProbeResult safeProbe(Driver driver) {
        try {
            ProbeResult result = driver.probe();
            return result == null ? ProbeResult.unavailable(driver.name() + " returned no probe result") : result;
        } catch (RuntimeException e) {
            return ProbeResult.unavailable(driver.name() + " failed to probe: " + e.getMessage());
        }
    }

    private static Set<String> capabilities(Driver driver) {
        Set<String> names = new LinkedHashSet<>();
        CAPABILITIES.forEach((name, type) -> {
            if (driver.capability(type).isPresent()) names.add(name);
        });
        return names;
    }

    /** One entry per backend kind, available or not. */
    public List<BackendStatus> statuses() {
        return new ArrayList<>(statuses.values());
    }

    public BackendStatus status(BackendKind kind) {
        return statuses.get(kind);
    }

    /** The available driver of this kind, if any. */
    public Optional<Driver> driver(BackendKind kind) {
        return Optional.ofNullable(available.get(kind));
    }

    public Set<String> capabilities(BackendKind kind) {
        return driver(kind).map(DriverRegistry::capabilities).orElse(Set.of());
    }

    public List<Driver> availableDrivers() {
        return List.copyOf(available.values());
    }

    public HostContext context() {
        return context;
    }
}
