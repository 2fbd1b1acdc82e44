package dev.slice.error;

/**
 * The one rule for every text a user types (names, e-mails, host names, templates, token names, key comments):
 * no control characters and a bounded length. Every service checks its text fields here, so the REST API and the
 * panel's forms refuse the same input, before anything reaches PostgreSQL (which cannot store NUL) or a log line.
 */
public final class PlainText {
    private PlainText() {}

    /**
     * Checks an optional text; null stays null. Refused: C0/C1 control characters (NUL, ESC, DEL, newlines...),
     * line and paragraph separators, and lone UTF-16 surrogates (not valid Unicode, cannot be stored as UTF-8).
     *
     * @throws ValidationException on {@code field} if the text breaks the rule or is longer than {@code maxLength}
     */
    public static String check(String field, String value, int maxLength) {
        if (value == null) return null;
        if (value.length() > maxLength) {
            throw new ValidationException(field, "at most " + maxLength + " characters (this has " + value.length() + ")");
        }
        String problem = problem(value);
        if (problem != null) throw new ValidationException(field, problem);
        return value;
    }

    /** Like {@link #check}, and also refuses null and blank text. */
    public static String require(String field, String value, int maxLength, String whatIsMissing) {
        if (value == null || value.isBlank()) throw new ValidationException(field, whatIsMissing);
        return check(field, value, maxLength);
    }

    /** True if the text has nothing {@link #check} refuses apart from its length. */
    public static boolean isPlain(String value) {
        return value == null || problem(value) == null;
    }

    private static String problem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "must not contain control characters (U+%04X at position %d)".formatted((int) c, i + 1);
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "is not valid Unicode (a lone surrogate at position %d)".formatted(i + 1);
            }
        }
        return null;
    }
}
