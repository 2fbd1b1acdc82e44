package dev.slice.driver.uml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which host CPU a starting guest is pinned to. */
class CpuPinningTest {
    @Test
    void kernelCpuListsAreParsed() {
        assertThat(CpuPinning.parseList("0-3,8,10-11\n")).containsExactly(0, 1, 2, 3, 8, 10, 11);
        assertThat(CpuPinning.parseList("1")).containsExactly(1);
    }

    @Test
    void aNewGuestGoesToTheCpuWithFewestGuests() {
        assertThat(CpuPinning.choose(List.of(0, 1), Map.of())).isZero();
        assertThat(CpuPinning.choose(List.of(0, 1), Map.of(0, 1L))).isEqualTo(1);
        assertThat(CpuPinning.choose(List.of(0, 1, 2), Map.of(0, 2L, 1, 1L, 2, 2L))).isEqualTo(1);
        assertThat(CpuPinning.choose(List.of(4, 5), Map.of(4, 1L, 5, 1L))).isEqualTo(4);
    }
}
