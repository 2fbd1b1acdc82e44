package dev.slice.account;

import dev.slice.error.ValidationException;

/** What a password must be for an account or a guest's root user. */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    /** The policy in one sentence, the same under every password field (accounts, root passwords, resets). */
    public static final String DESCRIPTION = "At least " + MIN_LENGTH + " characters mixing three of lower case, upper case,"
            + " digits and symbols (or 16 and more of any), without the user name";

    private PasswordPolicy() {}

    /** Throws a {@link ValidationException} on {@code field} unless the password is acceptable. */
    public static void check(String field, String password, String username) {
        if (password == null || password.isEmpty()) throw new ValidationException(field, "a password is required");
        if (password.length() < MIN_LENGTH) {
            throw new ValidationException(field, "the password must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > 200) throw new ValidationException(field, "the password is longer than 200 characters");
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException(field, "the password must not contain control characters");
        }
        int classes = 0;
        if (password.chars().anyMatch(Character::isLowerCase)) classes++;
        if (password.chars().anyMatch(Character::isUpperCase)) classes++;
        if (password.chars().anyMatch(Character::isDigit)) classes++;
        if (password.chars().anyMatch(c -> !Character.isLetterOrDigit(c))) classes++;
        if (classes < 3 && password.length() < 16) {
            throw new ValidationException(field, "the password is too weak: use 16 or more characters, or mix at least"
                    + " three of lower case, upper case, digits and symbols");
        }
        if (username != null && !username.isBlank() && password.toLowerCase().contains(username.toLowerCase())) {
            throw new ValidationException(field, "the password must not contain the user name (" + username + ")");
        }
    }
}
