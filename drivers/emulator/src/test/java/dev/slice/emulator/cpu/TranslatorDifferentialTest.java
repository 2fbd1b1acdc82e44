package dev.slice.emulator.cpu;

import dev.slice.emulator.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Translated execution against interpreted execution: two machines load the same program, one hart translates every
 * block at its first arrival, the other interprets; both run in the same random slices of instructions, and after each
 * slice every register, f register, the pc, instret, the trap CSRs and the data memory must be equal. The programs are
 * random streams (every translated integer operation, M, loads/stores incl. misaligned, forward branches, F/D),
 * with traps inside blocks (loads from unmapped addresses, ebreak), a software interrupt raised between slices, and
 * code that rewrites itself (in the running block, in another block, and from another hart).
 */
class TranslatorDifferentialTest {
    static final long BASE = 0x8000_0000L, DATA = BASE + 0x8_0000, HANDLER = BASE + 0x1_0000;
    static final int RAM = 1 << 20;

    /** A machine of one hart running {@code code} at BASE, with the skip-the-faulting-instruction trap handler. */
    static final class Rig {
        final PhysicalMemory mem = new PhysicalMemory(BASE, RAM);
        final Hart hart;

        Rig(int[] code, int translateAfter) {
            hart = new Hart(0, mem, () -> 0L, translateAfter);
            load(BASE, code);
            // handler: a synchronous trap skips its 4-byte instruction; an interrupt returns to where it was taken
            load(HANDLER, new int[] {
                    0x342022f3, // csrr t0, mcause
                    0x0002c863, // bltz t0, +16
                    0x341022f3, // csrr t0, mepc
                    0x00428293, // addi t0, t0, 4
                    0x34129073, // csrw mepc, t0
                    0x30200073, // mret
            });
            hart.mtvec = HANDLER;
            hart.mie = 1L << Csr.MSI;
            hart.mstatus |= Csr.FS | Csr.MIE_BIT;
            hart.setPc(BASE);
            Random r = new Random(7);
            for (int i = 0; i < 4096; i += 8) mem.write(DATA - 2048 + i, 8, r.nextLong());
        }

        void load(long at, int[] words) {
            for (int i = 0; i < words.length; i++) mem.write(at + 4L * i, 4, words[i] & 0xffffffffL);
        }

        String state() {
            Hart h = hart;
            byte[] data = new byte[8192];
            mem.copyOut(DATA - 4096, data, 0, data.length);
            return "x=" + Arrays.toString(Arrays.copyOf(h.x, 32)) + " f=" + Arrays.toString(h.f) + " pc=" + Long.toHexString(h.pc)
                    + " instret=" + h.instret + " priv=" + h.priv + " mcause=" + h.mcause + " mepc=" + Long.toHexString(h.mepc)
                    + " mtval=" + h.mtval + " mstatus=" + Long.toHexString(h.mstatus) + " fflags=" + h.fpu.flags
                    + " data=" + Arrays.hashCode(data);
        }
    }

    @Test
    void randomInstructionStreamsGiveTheSameStateTranslatedAndInterpreted() {
        long translated = 0;
        for (int seed = 1; seed <= 60; seed++) {
            int[] program = RandomPrograms.generate(new Random(seed));
            Rig jit = new Rig(program, 1), interp = new Rig(program, 0);
            Random slices = new Random(seed * 31L);
            for (int slice = 0; slice < 40; slice++) {
                long n = 1 + slices.nextInt(slices.nextBoolean() ? 50 : 5000);
                boolean irq = slices.nextInt(8) == 0;
                for (Rig rig : new Rig[] {jit, interp}) {
                    rig.hart.setInterruptLine(Csr.MSI, irq);
                    long left = n;
                    while (left > 0) left -= rig.hart.run(left);
                }
                assertThat(jit.state()).as("seed %d after slice %d (%d instructions)", seed, slice, n).isEqualTo(interp.state());
            }
            translated += jit.hart.blocksTranslated();
            assertThat(interp.hart.blocksTranslated()).isZero();
        }
        assertThat(translated).as("blocks translated").isGreaterThan(300);
    }

    /**
     * A hot loop calls a function, then rewrites the function's increment (addi a0,a0,1 -> addi a0,a0,3) and runs
     * fence.i; later in the same loop a store rewrites an instruction further on in its own block.
     */
    @Test
    void codeThatRewritesItselfRunsTheNewInstructions() {
        int[] code = SelfModifying.program();
        Rig jit = new Rig(code, 1), interp = new Rig(code, 0);
        for (int i = 0; i < 200; i++) {
            for (Rig rig : new Rig[] {jit, interp}) rig.hart.run(97);
            assertThat(jit.state()).as("after %d instructions", 97 * (i + 1)).isEqualTo(interp.state());
        }
        assertThat(jit.hart.x(10)).as("a0: 100 rounds of +1, then 100 of +3, plus the in-block rewrite").isEqualTo(SelfModifying.EXPECTED_A0);
        assertThat(jit.hart.x(11)).as("a1").isEqualTo(SelfModifying.EXPECTED_A1);
        assertThat(jit.hart.blocksTranslated()).isGreaterThan(2);
    }

    /** Another hart (same memory) rewrites code this hart has translated: this hart runs the new code after fence.i. */
    @Test
    void anotherHartsWriteDropsTranslatedCode() {
        int[] code = {
                0x00150513, // 0: addi a0, a0, 1
                0x0000100f, // 4: fence.i
                0xff9ff06f, // 8: j 0
        };
        Rig rig = new Rig(code, 1);
        rig.hart.run(3000);
        assertThat(rig.hart.x(10)).isEqualTo(1000);
        assertThat(rig.hart.blocksTranslated()).isPositive();
        Hart other = new Hart(1, rig.mem, () -> 0L, 1);
        rig.load(BASE + 0x2000, new int[] {0x00732023}); // the other hart's program: sw t2, 0(t1)
        other.setX(6, BASE);          // t1 = the first instruction of the loop
        other.setX(7, 0x06450513L);   // t2 = addi a0, a0, 100
        other.setPc(BASE + 0x2000);
        other.run(1);
        long before = rig.hart.x(10);
        rig.hart.run(3);
        assertThat(rig.hart.x(10) - before).as("one round of the rewritten loop").isEqualTo(100);
    }
}
