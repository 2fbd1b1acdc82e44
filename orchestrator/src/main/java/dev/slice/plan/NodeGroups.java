package dev.slice.plan;

import dev.slice.error.ValidationException;
import java.util.regex.Pattern;

/** The one rule for a node group's name (a location such as "fra-1"), as the database's check constraint has it. */
public final class NodeGroups {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    private NodeGroups() {}

    /** The name, stripped, or a 400 naming {@code field}. */
    public static String require(String field, String name) {
        String stripped = name == null ? "" : name.strip();
        if (!NAME.matcher(stripped).matches()) {
            throw new ValidationException(field, "a node group is 1-40 lower-case letters, digits and '-', starting with a letter or digit");
        }
        return stripped;
    }
}
