package dev.slice.emulator.cpu;

import static dev.slice.emulator.cpu.Csr.BREAKPOINT;
import static dev.slice.emulator.cpu.Csr.FS;

/**
 * The operations the hart's loop ({@link Hart}) does not execute itself: multiply-high, division, atomics,
 * f-register loads and stores, FP arithmetic, CSR access and the system instructions. Each has its one home here
 * or in the class named; they are out of the loop so that the JIT compiles its hot part small (the loop with
 * them inline was measured about a quarter slower). {@code h.pc} holds the instruction's address; the result is
 * the next pc.
 */
final class ColdOps {
    private ColdOps() { }

    static long execute(Hart h, int d, int iv, long next) {
        int rd = (d >>> 8) & 63, rs1 = (d >>> 14) & 31, rs2 = (d >>> 19) & 31;
        switch (d & 0xff) {
            case Decoder.MULH -> { h.x[rd] = Math.multiplyHigh(h.x[rs1], h.x[rs2]); return next; }
            case Decoder.MULHSU -> { long a = h.x[rs1], b = h.x[rs2]; h.x[rd] = Math.multiplyHigh(a, b) + ((b >> 63) & a); return next; }
            case Decoder.MULHU -> { h.x[rd] = Math.unsignedMultiplyHigh(h.x[rs1], h.x[rs2]); return next; }
            case Decoder.DIV -> { long a = h.x[rs1], b = h.x[rs2]; h.x[rd] = b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1 ? a : a / b); return next; }
            case Decoder.DIVU -> { long b = h.x[rs2]; h.x[rd] = b == 0 ? -1 : Long.divideUnsigned(h.x[rs1], b); return next; }
            case Decoder.REM -> { long a = h.x[rs1], b = h.x[rs2]; h.x[rd] = b == 0 ? a : (a == Long.MIN_VALUE && b == -1 ? 0 : a % b); return next; }
            case Decoder.REMU -> { long a = h.x[rs1], b = h.x[rs2]; h.x[rd] = b == 0 ? a : Long.remainderUnsigned(a, b); return next; }
            case Decoder.DIVW -> { int a = (int) h.x[rs1], b = (int) h.x[rs2]; h.x[rd] = b == 0 ? -1 : (a == Integer.MIN_VALUE && b == -1 ? a : a / b); return next; }
            case Decoder.DIVUW -> { int b = (int) h.x[rs2]; h.x[rd] = b == 0 ? -1 : Integer.divideUnsigned((int) h.x[rs1], b); return next; }
            case Decoder.REMW -> { int a = (int) h.x[rs1], b = (int) h.x[rs2]; h.x[rd] = b == 0 ? a : (a == Integer.MIN_VALUE && b == -1 ? 0 : a % b); return next; }
            case Decoder.REMUW -> { int a = (int) h.x[rs1], b = (int) h.x[rs2]; h.x[rd] = b == 0 ? a : Integer.remainderUnsigned(a, b); return next; }
            // FENCE.I: decoded pages already follow every store and DMA write into them; only the fetch page is refreshed
            case Decoder.FENCE_I -> { h.refetch(); return next; }
            case Decoder.PAUSE -> { Privileged.pause(h); return next; }
            case Decoder.LR_W, Decoder.LR_D -> { Atomics.loadReserved(h, rd, rs1, (d & 0xff) == Decoder.LR_W ? 4 : 8); return next; }
            case Decoder.SC_W, Decoder.SC_D -> { Atomics.storeConditional(h, rd, rs1, rs2, (d & 0xff) == Decoder.SC_W ? 4 : 8); return next; }
            case Decoder.AMO_W, Decoder.AMO_D -> { Atomics.amo(h, rd, rs1, rs2, (d & 0xff) == Decoder.AMO_W ? 4 : 8, iv); return next; }
            case Decoder.FLW -> { h.requireFs(); h.f[rd] = Fpu.box((int) h.load(h.x[rs1] + iv, 4)); h.mstatus |= FS; return next; }
            case Decoder.FLD -> { h.requireFs(); h.f[rd] = h.load(h.x[rs1] + iv, 8); h.mstatus |= FS; return next; }
            case Decoder.FSW -> { h.requireFs(); h.store(h.x[rs1] + iv, 4, h.f[rs2]); return next; }
            case Decoder.FSD -> { h.requireFs(); h.store(h.x[rs1] + iv, 8, h.f[rs2]); return next; }
            case Decoder.FP_FMA -> { FpOps.fma(h, iv); return next; }
            case Decoder.FP_OP -> { FpOps.op(h, iv); return next; }
            case Decoder.CSRRW, Decoder.CSRRS, Decoder.CSRRC, Decoder.CSRRWI, Decoder.CSRRSI, Decoder.CSRRCI -> {
                Privileged.csr(h, d & 0xff, rd, rs1, iv);
                return next;
            }
            case Decoder.ECALL -> { Privileged.ecall(h, next); return h.pc; }
            case Decoder.EBREAK -> throw h.trap.set(BREAKPOINT, h.pc);
            case Decoder.MRET -> { Privileged.mret(h); return h.pc; }
            case Decoder.SRET -> { Privileged.sret(h); return h.pc; }
            case Decoder.WFI -> { Privileged.wfi(h, next); return next; }
            case Decoder.SFENCE_VMA -> { Privileged.sfenceVma(h); return next; }
            default -> throw new IllegalStateException("bad decoded descriptor " + Integer.toHexString(d));
        }
    }
}
