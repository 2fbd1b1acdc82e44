package dev.slice.template;

import java.util.List;

/**
 * An OS a server can be installed with; {@code name} is what drivers receive (e.g. debian-12).
 *
 * @param backends the backends ({@code BackendKind} ids) that can install it; empty means every backend
 */
public record OsTemplate(String name, String label, boolean enabled, List<String> backends) {
    public OsTemplate {
        backends = List.copyOf(backends);
    }

    public boolean offeredOn(String backend) {
        return backends.isEmpty() || backends.contains(backend);
    }
}
