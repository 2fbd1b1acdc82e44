package dev.slice.search;

import dev.slice.error.ValidationException;
import java.util.Optional;

/**
 * What a user typed into a list's search field, checked once for every list: at most {@link #MAX_LENGTH} characters,
 * no control or format characters (NUL, ESC, bidi overrides), so it can be shown back and matched safely.
 * Matching is a case-insensitive substring ({@code ILIKE}) with the wildcards escaped, so "%" finds a per cent sign.
 */
public record SearchText(String text) {
    public static final int MAX_LENGTH = 100;

    public SearchText {
        if (text.isEmpty()) throw new IllegalArgumentException("empty search text");
    }

    /** Blank or missing means "no search"; anything else must be printable text. */
    public static Optional<SearchText> parse(String field, String raw) {
        if (raw == null || raw.isBlank()) return Optional.empty();
        String text = raw.strip();
        if (text.length() > MAX_LENGTH) throw new ValidationException(field, "at most " + MAX_LENGTH + " characters");
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw new ValidationException(field, "letters, digits and punctuation only (no control characters)");
        }
        return Optional.of(new SearchText(text));
    }

    /** The {@code ILIKE} pattern for "contains", with {@code \} as the escape character. */
    public String containsPattern() {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** Whether {@code value} contains the text, ignoring case: the same test in memory as {@link #containsPattern} in SQL. */
    public boolean foundIn(String value) {
        return value != null && value.toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
    }
}
