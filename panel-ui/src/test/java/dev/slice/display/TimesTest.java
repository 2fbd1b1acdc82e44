package dev.slice.display;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimesTest {

    private static final Instant WINTER = Instant.parse("2026-12-04T02:13:00Z");
    private static final Instant SUMMER = Instant.parse("2026-07-01T12:00:00Z");

    @Test
    void aTimeIsShownInTheZoneWithTheZoneNamedAndItsSummerTime() {
        assertThat(Times.in(WINTER, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-12-04 03:13:00 CET");
        assertThat(Times.in(SUMMER, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-07-01 14:00:00 CEST");
        assertThat(Times.in(SUMMER, ZoneId.of("America/New_York"))).isEqualTo("2026-07-01 08:00:00 EDT");
        assertThat(Times.in(WINTER, ZoneOffset.UTC)).isEqualTo("2026-12-04 02:13:00 UTC");
    }

    @Test
    void withoutABrowserItIsUtcAndNothingIsEmpty() {
        assertThat(Times.viewerZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(Times.shown(WINTER)).isEqualTo("2026-12-04 02:13:00 UTC");
        assertThat(Times.shown(null)).isEmpty();
    }
}
