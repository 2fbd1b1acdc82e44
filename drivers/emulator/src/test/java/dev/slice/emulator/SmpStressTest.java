package dev.slice.emulator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/emulator/tests/smp.c on several harts, each on its own host thread: every hart adds to shared counters
 * 100,000 times with amoadd.d, amoadd.w, an LR/SC loop (.d and .w) and a plain increment under an amoswap spinlock;
 * the program checks the exact totals itself and prints how many harts it found (through the CLINT).
 */
class SmpStressTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void sharedCountersComeOutExact(int harts) throws Exception {
        TestPrograms.Result r = TestPrograms.run("smp", harts);
        assertThat(r.console()).as("console with %d harts", harts)
                .contains("smp: " + harts + " harts, " + 100_000 * harts + " locked increments")
                .contains("smp: ok").doesNotContain("FAIL");
        assertThat(r.exitCode()).as("exit code (0 = pass, else the failing line); console:%n%s", r.console()).isZero();
    }
}
