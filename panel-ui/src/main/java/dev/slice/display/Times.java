package dev.slice.display;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps as the panel shows them: UTC, to the second. */
public final class Times {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String utc(Instant instant) {
        return instant == null ? "" : SHORT.format(instant);
    }
}
