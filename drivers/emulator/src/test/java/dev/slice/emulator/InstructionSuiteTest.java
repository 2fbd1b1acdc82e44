package dev.slice.emulator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's instruction-level programs (deploy/emulator/tests/*.c): each checks its own results and
 * reports pass (0) or the failing line through the sifive_test device.
 *   alu:  RV64I, M, A, C: every computational instruction, loads/stores (misaligned too), branches, jumps, AMOs, LR/SC
 *   fpu:  F and D: arithmetic, fma, sqrt, conversions, compares, min/max, sign injection, moves, classify, NaN boxing, fcsr
 *   fuzz: random integer and compressed instruction streams (its real check is the comparison with QEMU)
 *   priv: CSRs, exception causes and tvals, M/S/U, delegation, interrupts, wfi, counters, Sv39/Sv48, A/D, SUM/MXR/MPRV, TVM/TW/TSR
 */
class InstructionSuiteTest {
    @ParameterizedTest
    @ValueSource(strings = {"alu", "fpu", "priv", "fuzz"})
    void programPasses(String name) throws Exception {
        TestPrograms.Result r = TestPrograms.run(name);
        assertThat(r.console()).as("console of %s", name).doesNotContain("FAIL").contains(name + ": ok");
        assertThat(r.exitCode()).as("exit code of %s (0 = pass, else the failing line); console:%n%s", name, r.console()).isZero();
    }
}
