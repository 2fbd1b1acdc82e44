package dev.slice.emulator.cpu;

import static dev.slice.emulator.cpu.Csr.FS;

/**
 * The F and D computational instructions (FMA group and OP-FP), decoded from their raw bits here: the one home of
 * their meaning. Loads and stores of f registers are in the hart's loop like the integer ones.
 */
final class FpOps {
    private FpOps() { }

    private static int rm(Hart h, int insn) {
        int rm = (insn >>> 12) & 7;
        if (rm == 7) rm = h.frm;
        if (rm > 4) throw h.illegal();
        return rm;
    }

    private static void setFd(Hart h, int insn, long v) {
        h.f[(insn >>> 7) & 31] = v;
        h.mstatus |= FS;
    }

    static void fma(Hart h, int insn) {
        h.requireFs();
        int fmt = (insn >>> 25) & 3;
        if (fmt > 1) throw h.illegal();
        int rm = rm(h, insn);
        long a = h.f[(insn >>> 15) & 31], b = h.f[(insn >>> 20) & 31], c = h.f[insn >>> 27];
        int op = insn & 0x7f;
        boolean negProduct = op == 0x4b || op == 0x4f;
        boolean negAddend = op == 0x47 || op == 0x4f;
        setFd(h, insn, fmt == 0 ? h.fpu.fmaS(a, b, c, negProduct, negAddend, rm) : h.fpu.fmaD(a, b, c, negProduct, negAddend, rm));
    }

    static void op(Hart h, int insn) {
        h.requireFs();
        h.mstatus |= FS; // flags may change even when only an x register is written
        int f7 = insn >>> 25;
        int rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31;
        int f3 = (insn >>> 12) & 7;
        long a = h.f[rs1], b = h.f[rs2];
        boolean d = (f7 & 1) != 0;
        if ((f7 & 2) != 0) throw h.illegal();
        switch (f7 >>> 2) {
            case 0x00 -> setFd(h, insn, d ? h.fpu.addD(a, b, rm(h, insn)) : h.fpu.addS(a, b, rm(h, insn)));
            case 0x01 -> setFd(h, insn, d ? h.fpu.addD(a, b ^ Long.MIN_VALUE, rm(h, insn)) : h.fpu.addS(a, negS(b), rm(h, insn)));
            case 0x02 -> setFd(h, insn, d ? h.fpu.mulD(a, b, rm(h, insn)) : h.fpu.mulS(a, b, rm(h, insn)));
            case 0x03 -> setFd(h, insn, d ? h.fpu.divD(a, b, rm(h, insn)) : h.fpu.divS(a, b, rm(h, insn)));
            case 0x0b -> { if (rs2 != 0) throw h.illegal(); setFd(h, insn, d ? h.fpu.sqrtD(a, rm(h, insn)) : h.fpu.sqrtS(a, rm(h, insn))); }
            case 0x04 -> { // FSGNJ[N|X]
                if (d) {
                    long sign = switch (f3) { case 0 -> b; case 1 -> ~b; case 2 -> a ^ b; default -> throw h.illegal(); };
                    setFd(h, insn, (a & Long.MAX_VALUE) | (sign & Long.MIN_VALUE));
                } else {
                    int ai = Fpu.unbox(a), bi = Fpu.unbox(b);
                    int sign = switch (f3) { case 0 -> bi; case 1 -> ~bi; case 2 -> ai ^ bi; default -> throw h.illegal(); };
                    setFd(h, insn, Fpu.box((ai & Integer.MAX_VALUE) | (sign & Integer.MIN_VALUE)));
                }
            }
            case 0x05 -> {
                if (f3 > 1) throw h.illegal();
                setFd(h, insn, d ? h.fpu.minMaxD(a, b, f3 == 1) : h.fpu.minMaxS(a, b, f3 == 1));
            }
            case 0x08 -> { // FCVT.S.D / FCVT.D.S
                if (d && rs2 == 0) setFd(h, insn, h.fpu.sToD(a));
                else if (!d && rs2 == 1) setFd(h, insn, h.fpu.dToS(a, rm(h, insn)));
                else throw h.illegal();
            }
            case 0x14 -> {
                if (f3 > 2) throw h.illegal();
                h.setRd(insn, d ? h.fpu.compareD(a, b, f3) : h.fpu.compareS(a, b, f3));
            }
            case 0x18 -> { // FCVT.int.fmt
                if (rs2 > 3) throw h.illegal();
                int rm = rm(h, insn);
                long r;
                if (d) r = h.fpu.toInt(Double.longBitsToDouble(a), Fpu.isNanD(a), rs2, rm);
                else { int ai = Fpu.unbox(a); r = h.fpu.toInt(Float.intBitsToFloat(ai), Fpu.isNanS(ai), rs2, rm); }
                h.setRd(insn, r);
            }
            case 0x1a -> { // FCVT.fmt.int
                if (rs2 > 3) throw h.illegal();
                int rm = rm(h, insn);
                long v = h.x[rs1];
                setFd(h, insn, d ? h.fpu.fromIntD(v, rs2, rm) : h.fpu.fromIntS(v, rs2, rm));
            }
            case 0x1c -> { // FMV.X / FCLASS
                if (rs2 != 0) throw h.illegal();
                if (f3 == 0) h.setRd(insn, d ? a : (long) (int) a);
                else if (f3 == 1) h.setRd(insn, d ? Fpu.classD(a) : Fpu.classS(Fpu.unbox(a)));
                else throw h.illegal();
            }
            case 0x1e -> { // FMV.W.X / FMV.D.X
                if (rs2 != 0 || f3 != 0) throw h.illegal();
                setFd(h, insn, d ? h.x[rs1] : Fpu.box((int) h.x[rs1]));
            }
            default -> throw h.illegal();
        }
    }

    private static long negS(long boxed) {
        return Fpu.box(Fpu.unbox(boxed) ^ Integer.MIN_VALUE);
    }
}
