package dev.slice.driver.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names and bucket sizes; the shaping itself is tested with real guests (UmlBandwidthTest). */
class TrafficShaperTest {
    @Test
    void eachInterfaceHasItsOwnIfbWithinLinuxsNameLength() {
        assertThat(TrafficShaper.ifbFor("uml-0123456789a")).hasSizeLessThanOrEqualTo(15).startsWith("ifb")
                .isEqualTo(TrafficShaper.ifbFor("uml-0123456789a"))
                .isNotEqualTo(TrafficShaper.ifbFor("uml-0123456789b"));
    }

    @Test
    void theBucketHoldsTwentyMillisecondsAndAtLeast32KiB() {
        assertThat(TrafficShaper.burstBytes(1)).isEqualTo(32 * 1024);
        assertThat(TrafficShaper.burstBytes(1000)).isEqualTo(1000L * 1_000_000 / 8 / 50);
    }
}
