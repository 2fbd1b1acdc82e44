package dev.slice.emulator.cpu;

/** A program that rewrites a function it calls (then fence.i) and, every round, the instruction after its own store. */
final class SelfModifying {
    private SelfModifying() { }

    /** a0 after the loop: 100 calls that add 1, 100 that add 3. */
    static final long EXPECTED_A0 = 400;
    /** a1 after the loop: 200 rounds of the rewritten "addi a1, a1, 5". */
    static final long EXPECTED_A1 = 1000;

    static int[] program() {
        return new int[] {
                0x00000317, //  0: auipc t1, 0              t1 = the program
                0x0c800913, //  4: addi s2, x0, 200         rounds
                0x003503b7, //  8: lui t2, 0x350
                0x51338393, // 12: addi t2, t2, 0x513       t2 = addi a0, a0, 3
                0x06400e13, // 16: addi t3, x0, 100
                0x00558f37, // 20: lui t5, 0x558
                0x593f0f13, // 24: addi t5, t5, 0x593       t5 = addi a1, a1, 5
                0x03830f93, // 28: addi t6, t1, 56          t6 = the instruction at 56
                0x024000ef, // 32: loop: jal ra, 68
                0xfff90913, // 36: addi s2, s2, -1
                0x01c91663, // 40: bne s2, t3, 52
                0x04732223, // 44: sw t2, 68(t1)            rewrite the function after 100 rounds
                0x0000100f, // 48: fence.i
                0x01efa023, // 52: sw t5, 0(t6)             rewrite the next instruction, in this block
                0x00158593, // 56: addi a1, a1, 1           (becomes addi a1, a1, 5 before it runs)
                0xfe0912e3, // 60: bnez s2, loop
                0x0000006f, // 64: j 64
                0x00150513, // 68: addi a0, a0, 1           the function
                0x00008067, // 72: ret
        };
    }
}
