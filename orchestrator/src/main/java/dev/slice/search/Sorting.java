package dev.slice.search;

import dev.slice.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A list's order: one of the list's sort keys, ascending or descending. In the API {@code sort=hostname} or
 * {@code sort=-hostname}; a key is its enum constant's name in lower case ({@code CREATED_AT} is {@code created-at}).
 */
public record Sorting<K extends Enum<K>>(K key, boolean descending) {

    public static <K extends Enum<K>> Sorting<K> parse(String field, String raw, Class<K> keys, Sorting<K> fallback) {
        if (raw == null || raw.isBlank()) return fallback;
        boolean descending = raw.startsWith("-");
        String name = (descending ? raw.substring(1) : raw).strip();
        for (K key : keys.getEnumConstants()) {
            if (idOf(key).equals(name)) return new Sorting<>(key, descending);
        }
        throw new ValidationException(field, "one of " + Arrays.stream(keys.getEnumConstants()).map(Sorting::idOf)
                .collect(Collectors.joining(", ")) + " (a leading '-' for descending)");
    }

    public static String idOf(Enum<?> key) {
        return key.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The API's spelling of this order, as {@link #parse} reads it. */
    public String id() {
        return (descending ? "-" : "") + idOf(key);
    }

    /** {@code column asc|desc} with missing values last either way. */
    public String sql(String column) {
        return column + (descending ? " desc" : " asc") + " nulls last";
    }
}
