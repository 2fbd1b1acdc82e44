package dev.slice.display;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.ExtendedClientDetails;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Timestamps as the panel shows them: in the viewer's time zone (the browser's, which Vaadin's bootstrap sends along
 * with the other client details), to the second, with the zone named ("2026-12-04 03:13:00 CET"). Without a browser
 * (a background thread) or with a zone the JVM does not know, UTC.
 */
public final class Times {
    /** Named "UTC" when shown; {@link ZoneOffset#UTC} would print as "Z". */
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ENGLISH);

    private Times() {}

    /** The instant in the viewer's time zone; "" for none. */
    public static String shown(Instant instant) {
        return instant == null ? "" : in(instant, viewerZone());
    }

    /** The instant in the given zone, named by its short name (CET, EDT, JST; UTC for UTC). */
    public static String in(Instant instant, ZoneId zone) {
        return instant == null ? "" : SHOWN.withZone(zone.equals(ZoneOffset.UTC) ? UTC : zone).format(instant);
    }

    /** @deprecated the name says UTC but it shows the viewer's zone now; kept only so that branches in flight compile. */
    @Deprecated(forRemoval = true)
    public static String utc(Instant instant) {
        return shown(instant);
    }

    /** The current browser's time zone, UTC when there is none or it is unknown here. */
    public static ZoneId viewerZone() {
        UI ui = UI.getCurrent();
        if (ui == null) return UTC;
        ExtendedClientDetails details = ui.getPage().getExtendedClientDetails();
        String id = details == null ? null : details.getTimeZoneId();
        if (id == null || id.isBlank()) return UTC;
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return UTC;
        }
    }
}
