package dev.slice.account;

import dev.slice.error.ValidationException;

/**
 * What a password must be for an account or a guest's root user. The rule is written once ({@link #needs}): the helper
 * text under every password field and every refusal use the same words, and name the user name it must not contain.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    /** Long passwords of any characters are as strong as shorter mixed ones. */
    public static final int ANY_CHARACTERS_LENGTH = 16;
    public static final int MAX_LENGTH = 200;
    /** The rule for a user name not known yet (a new account's dialog before its name is typed). */
    public static final String DESCRIPTION = rule(null);

    private PasswordPolicy() {}

    /** The rule as a sentence for a field's helper text: "At least 10 characters ... without the user name (root)". */
    public static String rule(String username) {
        String needs = needs(username);
        return Character.toUpperCase(needs.charAt(0)) + needs.substring(1);
    }

    private static String needs(String username) {
        return "at least " + MIN_LENGTH + " characters mixing three of lower case, upper case, digits and symbols (or "
                + ANY_CHARACTERS_LENGTH + " and more of any), without the user name"
                + (username == null || username.isBlank() ? "" : " (" + username + ")");
    }

    /** Throws a {@link ValidationException} on {@code field}, saying what is wrong and then the whole rule, unless the password is acceptable. */
    public static void check(String field, String password, String username) {
        if (password == null || password.isEmpty()) throw refused(field, "a password is required", username);
        if (password.length() < MIN_LENGTH) {
            throw refused(field, "the password has only " + password.length() + (password.length() == 1 ? " character" : " characters"), username);
        }
        if (password.length() > MAX_LENGTH) {
            throw new ValidationException(field, "the password is longer than " + MAX_LENGTH + " characters");
        }
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException(field, "the password must not contain control characters");
        }
        int classes = 0;
        if (password.chars().anyMatch(Character::isLowerCase)) classes++;
        if (password.chars().anyMatch(Character::isUpperCase)) classes++;
        if (password.chars().anyMatch(Character::isDigit)) classes++;
        if (password.chars().anyMatch(c -> !Character.isLetterOrDigit(c))) classes++;
        if (classes < 3 && password.length() < ANY_CHARACTERS_LENGTH) {
            throw refused(field, "the password is too weak: it mixes only " + classes + " of the four kinds", username);
        }
        if (username != null && !username.isBlank() && password.toLowerCase().contains(username.toLowerCase())) {
            throw refused(field, "the password contains the user name (" + username + ")", username);
        }
    }

    private static ValidationException refused(String field, String problem, String username) {
        return new ValidationException(field, problem + "; it needs " + needs(username));
    }
}
