package dev.slice.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An audit entry's detail as people read it: the fields of a new thing ("name 'small', vCPUs 1"), or the fields a
 * change changed, old → new ("vCPUs 1 → 2"); fields left as they were are not named.
 */
public final class Changes {
    private final List<String> parts = new ArrayList<>();

    private Changes() {}

    public static Changes of() {
        return new Changes();
    }

    /** A field of something new (or removed), with its value. */
    public Changes value(String field, Object value) {
        parts.add(field + " " + shown(value));
        return this;
    }

    /** A field that may have changed: named only if it did. */
    public Changes change(String field, Object before, Object after) {
        if (!Objects.equals(before, after)) parts.add(field + " " + shown(before) + " → " + shown(after));
        return this;
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The parts joined, or "nothing changed" when a change changed nothing. */
    public String text() {
        return parts.isEmpty() ? "nothing changed" : String.join(", ", parts);
    }

    @Override
    public String toString() {
        return text();
    }

    private static String shown(Object value) {
        if (value == null) return "none";
        if (value instanceof CharSequence text) return "'" + text + "'";
        if (value instanceof java.util.Collection<?> many) return many.isEmpty() ? "none" : String.join(", ", many.stream().map(String::valueOf).sorted().toList());
        return value.toString();
    }
}
