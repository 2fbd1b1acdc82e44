package dev.slice.driver.uml;

import dev.slice.driver.capability.TerminalSize;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The size of a console that several viewers share (dtach's one pty, so one window size), by tmux's
 * {@code window-size smallest} rule: as tall as the shortest viewer and as wide as the narrowest, so that every viewer
 * sees the whole screen and none gets lines wrapped for a wider one. A viewer that has not said its size yet does not
 * count; when no viewer has (or the last one left) the size stays what it was. Not thread-safe: the console that owns
 * it applies each answer under the same lock, so sizes reach the pty in the order they were decided.
 */
final class SmallestViewerSize {
    private final Map<Object, TerminalSize> sizes = new HashMap<>();
    private TerminalSize applied;

    SmallestViewerSize(TerminalSize initial) {
        this.applied = initial;
    }

    /** The size to give the pty now that {@code viewer} is {@code size} large, if it is not the pty's size already. */
    Optional<TerminalSize> resized(Object viewer, TerminalSize size) {
        sizes.put(viewer, size);
        return recompute();
    }

    /** The size to give the pty now that {@code viewer} has left, if it changes. */
    Optional<TerminalSize> left(Object viewer) {
        if (sizes.remove(viewer) == null) return Optional.empty();
        return recompute();
    }

    TerminalSize applied() {
        return applied;
    }

    private Optional<TerminalSize> recompute() {
        if (sizes.isEmpty()) return Optional.empty();
        int rows = TerminalSize.MAX;
        int columns = TerminalSize.MAX;
        for (TerminalSize size : sizes.values()) {
            rows = Math.min(rows, size.rows());
            columns = Math.min(columns, size.columns());
        }
        TerminalSize smallest = new TerminalSize(rows, columns);
        if (smallest.equals(applied)) return Optional.empty();
        applied = smallest;
        return Optional.of(smallest);
    }
}
