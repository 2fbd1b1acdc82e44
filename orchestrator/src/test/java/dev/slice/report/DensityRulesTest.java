package dev.slice.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.report.DensityRules.HostNow;
import dev.slice.report.DensityRules.StopReason;
import org.junit.jupiter.api.Test;

class DensityRulesTest {
    private final DensityRules rules = new DensityRules(2048, 10, 10.0);

    @Test
    void addsAGuestWhileTheNextOneStillLeavesTheReserveFree() {
        // 4096 available - (256 RAM + 20 overhead) = 3820 >= 2048
        assertThat(rules.stopBeforeNext(new HostNow(3, 4096, 256, 20, 0.0, false))).isEmpty();
    }

    @Test
    void stopsBeforeTheGuestThatWouldEatIntoTheReserve() {
        // 2300 - (256 + 20) = 2024 < 2048
        assertThat(rules.stopBeforeNext(new HostNow(3, 2300, 256, 20, 0.0, false))).contains(StopReason.MEMORY_RESERVE);
        // exactly the reserve left: still allowed
        assertThat(rules.stopBeforeNext(new HostNow(3, 2048 + 276, 256, 20, 0.0, false))).isEmpty();
    }

    @Test
    void theCapHoldsWhateverMemorySays() {
        assertThat(rules.stopBeforeNext(new HostNow(10, 1_000_000, 256, 0, 0.0, false))).contains(StopReason.SAFETY_CAP);
        assertThat(rules.stopBeforeNext(new HostNow(9, 1_000_000, 256, 0, 0.0, false))).isEmpty();
    }

    @Test
    void aFailedBootOrMemoryPressureStopsAtOnce() {
        assertThat(rules.stopBeforeNext(new HostNow(2, 1_000_000, 256, 0, 0.0, true))).contains(StopReason.BOOT_FAILED);
        assertThat(rules.stopBeforeNext(new HostNow(2, 1_000_000, 256, 0, 25.0, false))).contains(StopReason.MEMORY_PRESSURE);
    }

    @Test
    void guestsThatFitCountTheOvercommitAndTheReserve() {
        // (24576 - 2048) * 1.0 / (256 + 12) = 84.06 -> 84
        assertThat(rules.guestsThatFit(24576, 1.0, 256, 12)).isEqualTo(84);
        assertThat(rules.guestsThatFit(24576, 2.0, 256, 12)).isEqualTo(168);
        assertThat(rules.guestsThatFit(1024, 1.0, 256, 12)).as("less memory than the reserve").isZero();
    }

    @Test
    void nonsenseRulesAreRefused() {
        assertThatThrownBy(() -> new DensityRules(-1, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DensityRules(2048, 0, 10)).hasMessageContaining("cap");
    }
}
