package dev.slice.driver;

import java.util.regex.Pattern;

/**
 * A guest's name on its host: it becomes container ids, libvirt domain names and file names,
 * so it is restricted to characters that are safe in all of them.
 */
public record GuestId(String value) {
    private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    public GuestId {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new InvalidSpecException("guest id '" + value
                    + "' must be 1-48 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }
    }

    public static GuestId of(String value) { return new GuestId(value); }

    @Override
    public String toString() { return value; }
}
