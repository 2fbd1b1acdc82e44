package dev.slice.plan.ui;

import com.vaadin.flow.server.VaadinService;
import dev.slice.driver.BackendKind;
import dev.slice.placement.PlanCapacity;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the plan and grant dialogs say about the nodes: which backends to offer and why the others are missing. The
 * dialogs are made by views that do not pass it, so the service comes from the session's instantiator (Spring's beans).
 */
public final class NodeCapacityHints {
    private NodeCapacityHints() {}

    /** The nodes' capacity service, or null outside a running panel (then every backend is offered, nothing is said). */
    public static PlanCapacity capacity() {
        VaadinService service = VaadinService.getCurrent();
        return service == null ? null : service.getInstantiator().getOrCreate(PlanCapacity.class);
    }

    /** The backends some node offers, plus {@code keep} (an existing plan's or grant's) so an edit does not lose it. */
    public static List<BackendKind> offered(PlanCapacity capacity, BackendKind... keep) {
        if (capacity == null) return List.of(BackendKind.values());
        Set<BackendKind> offered = capacity.offeredBackends();
        Set<BackendKind> kept = Arrays.stream(keep).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        return Arrays.stream(BackendKind.values()).filter(k -> offered.contains(k) || kept.contains(k)).toList();
    }

    /** "Not offered by any node: xen: not a Xen host; emulator: ..." or empty when every backend is offered. */
    public static String missingText(PlanCapacity capacity) {
        if (capacity == null) return "";
        Map<BackendKind, String> missing = capacity.missingBackends();
        if (missing.isEmpty()) return "";
        return "Not offered by any node: " + missing.entrySet().stream().map(e -> e.getKey().id() + ": " + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
