package dev.slice.emulator.cpu;

import static dev.slice.emulator.cpu.Csr.LOAD_MISALIGNED;
import static dev.slice.emulator.cpu.Csr.STORE_MISALIGNED;

/** The A extension: LR/SC with a reservation per hart, and the AMOs (read-modify-write of one aligned word). */
final class Atomics {
    private Atomics() { }

    static void loadReserved(Hart h, int rd, int rs1, int size) {
        long va = h.x[rs1];
        h.watchData(Triggers.LOAD, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(LOAD_MISALIGNED, va);
        long v = h.load(va, size);
        h.reservation = va;
        h.x[rd] = size == 4 ? (int) v : v;
    }

    static void storeConditional(Hart h, int rd, int rs1, int rs2, int size) {
        long va = h.x[rs1];
        h.watchData(Triggers.STORE, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(STORE_MISALIGNED, va);
        long pa = h.translate(va, Hart.WRITE);
        boolean ok = h.reservation == va;
        if (ok) h.physWrite(pa, size, h.x[rs2], va);
        h.reservation = -1;
        h.x[rd] = ok ? 0 : 1;
    }

    /** {@code f5} is the AMO's funct5 (the decoder has checked it). AMOs fault as stores. */
    static void amo(Hart h, int rd, int rs1, int rs2, int size, int f5) {
        long va = h.x[rs1];
        long src = h.x[rs2];
        h.watchData(Triggers.LOAD | Triggers.STORE, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(STORE_MISALIGNED, va);
        long pa = h.translate(va, Hart.WRITE);
        long old = h.physRead(pa, size, va);
        if (size == 4) { old = (int) old; src = (int) src; }
        long nv = switch (f5) {
            case 0 -> old + src;
            case 1 -> src;
            case 4 -> old ^ src;
            case 8 -> old | src;
            case 12 -> old & src;
            case 16 -> Math.min(old, src);
            case 20 -> Math.max(old, src);
            case 24 -> Long.compareUnsigned(old, src) < 0 ? old : src;
            default -> Long.compareUnsigned(old, src) > 0 ? old : src; // 28: amomaxu
        };
        h.physWrite(pa, size, nv, va);
        h.x[rd] = old;
    }
}
