package dev.slice.emulator.cpu;

/**
 * Instructions of one 4 KiB physical page, decoded once: per halfword, a packed descriptor
 * (operation, rd, rs1, rs2, length) and an immediate. Operations the fast loop does not handle itself
 * are kept as SLOW with the expanded 32-bit instruction in place of the immediate.
 */
final class Decoded {
    // descriptor layout: op [0,8) rd [8,14) rs1 [14,19) rs2 [19,24) 4-byte flag bit 24
    static final int SLOW = 1, CROSS = 2, ILLEGAL16 = 3;
    static final int LUI = 4, AUIPC = 5, JAL = 6, JALR = 7;
    static final int BEQ = 8, BNE = 9, BLT = 10, BGE = 11, BLTU = 12, BGEU = 13;
    static final int LB = 14, LH = 15, LW = 16, LD = 17, LBU = 18, LHU = 19, LWU = 20;
    static final int SB = 21, SH = 22, SW = 23, SD = 24;
    static final int ADDI = 25, SLTI = 26, SLTIU = 27, XORI = 28, ORI = 29, ANDI = 30, SLLI = 31, SRLI = 32, SRAI = 33;
    static final int ADD = 34, SUB = 35, SLL = 36, SLT = 37, SLTU = 38, XOR = 39, SRL = 40, SRA = 41, OR = 42, AND = 43;
    static final int ADDIW = 44, SLLIW = 45, SRLIW = 46, SRAIW = 47, ADDW = 48, SUBW = 49, SLLW = 50, SRLW = 51, SRAW = 52;
    static final int MUL = 53, MULW = 54, FENCE = 55;
    /** Register index that receives writes to x0, so the fast loop never tests rd for zero. */
    static final int SINK = 32;

    final int[] desc = new int[2048];
    final int[] imm = new int[2048];

    /** Decodes the instruction at halfword {@code idx}; {@code lo} is its first halfword, {@code word} the 32 bits there. */
    int decode(int idx, int lo, int word) {
        int d, i;
        if ((lo & 3) != 3) {
            int e = Compressed.expand(lo);
            if (e == 0) { d = ILLEGAL16; i = lo; }
            else { long r = classify(e); d = (int) r; i = (int) (r >>> 32); }
        } else if (idx == 2047) {
            d = CROSS | (1 << 24); i = 0;
        } else {
            long r = classify(word);
            d = (int) r | (1 << 24);
            i = (int) (r >>> 32);
        }
        imm[idx] = i;
        desc[idx] = d;
        return d;
    }

    private static long pack(int op, int rd, int rs1, int rs2, int imm) {
        int d = op | ((rd == 0 ? SINK : rd) << 8) | (rs1 << 14) | (rs2 << 19);
        return (d & 0xffffffffL) | ((long) imm << 32);
    }

    private static long slow(int insn) { return pack(SLOW, 0, 0, 0, insn); }

    /** Returns the descriptor (low 32 bits) and immediate (high 32 bits) of a 32-bit instruction. */
    static long classify(int insn) {
        int rd = (insn >>> 7) & 31, rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31, f3 = (insn >>> 12) & 7, f7 = insn >>> 25;
        int iImm = insn >> 20;
        switch (insn & 0x7f) {
            case 0x37: return pack(LUI, rd, 0, 0, insn & 0xfffff000);
            case 0x17: return pack(AUIPC, rd, 0, 0, insn & 0xfffff000);
            case 0x6f: {
                int j = ((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
                return pack(JAL, rd, 0, 0, j);
            }
            case 0x67: return f3 == 0 ? pack(JALR, rd, rs1, 0, iImm) : slow(insn);
            case 0x63: {
                int b = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
                return switch (f3) {
                    case 0 -> pack(BEQ, 0, rs1, rs2, b);
                    case 1 -> pack(BNE, 0, rs1, rs2, b);
                    case 4 -> pack(BLT, 0, rs1, rs2, b);
                    case 5 -> pack(BGE, 0, rs1, rs2, b);
                    case 6 -> pack(BLTU, 0, rs1, rs2, b);
                    case 7 -> pack(BGEU, 0, rs1, rs2, b);
                    default -> slow(insn);
                };
            }
            case 0x03: {
                int op = switch (f3) { case 0 -> LB; case 1 -> LH; case 2 -> LW; case 3 -> LD; case 4 -> LBU; case 5 -> LHU; case 6 -> LWU; default -> 0; };
                return op == 0 ? slow(insn) : pack(op, rd, rs1, 0, iImm);
            }
            case 0x23: {
                int s = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
                int op = switch (f3) { case 0 -> SB; case 1 -> SH; case 2 -> SW; case 3 -> SD; default -> 0; };
                return op == 0 ? slow(insn) : pack(op, 0, rs1, rs2, s);
            }
            case 0x13: {
                switch (f3) {
                    case 0: return pack(ADDI, rd, rs1, 0, iImm);
                    case 2: return pack(SLTI, rd, rs1, 0, iImm);
                    case 3: return pack(SLTIU, rd, rs1, 0, iImm);
                    case 4: return pack(XORI, rd, rs1, 0, iImm);
                    case 6: return pack(ORI, rd, rs1, 0, iImm);
                    case 7: return pack(ANDI, rd, rs1, 0, iImm);
                    case 1: return (insn >>> 26) == 0 ? pack(SLLI, rd, rs1, 0, iImm & 63) : slow(insn);
                    default: {
                        int top = insn >>> 26;
                        if (top == 0) return pack(SRLI, rd, rs1, 0, iImm & 63);
                        if (top == 0x10) return pack(SRAI, rd, rs1, 0, iImm & 63);
                        return slow(insn);
                    }
                }
            }
            case 0x1b: {
                if (f3 == 0) return pack(ADDIW, rd, rs1, 0, iImm);
                if (f3 == 1 && f7 == 0) return pack(SLLIW, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0) return pack(SRLIW, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0x20) return pack(SRAIW, rd, rs1, 0, rs2);
                return slow(insn);
            }
            case 0x33: {
                if (f7 == 0) {
                    int op = switch (f3) { case 0 -> ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU; case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND; };
                    return pack(op, rd, rs1, rs2, 0);
                }
                if (f7 == 0x20 && f3 == 0) return pack(SUB, rd, rs1, rs2, 0);
                if (f7 == 0x20 && f3 == 5) return pack(SRA, rd, rs1, rs2, 0);
                if (f7 == 1 && f3 == 0) return pack(MUL, rd, rs1, rs2, 0);
                return slow(insn);
            }
            case 0x3b: {
                if (f7 == 0 && f3 == 0) return pack(ADDW, rd, rs1, rs2, 0);
                if (f7 == 0x20 && f3 == 0) return pack(SUBW, rd, rs1, rs2, 0);
                if (f7 == 0 && f3 == 1) return pack(SLLW, rd, rs1, rs2, 0);
                if (f7 == 0 && f3 == 5) return pack(SRLW, rd, rs1, rs2, 0);
                if (f7 == 0x20 && f3 == 5) return pack(SRAW, rd, rs1, rs2, 0);
                if (f7 == 1 && f3 == 0) return pack(MULW, rd, rs1, rs2, 0);
                return slow(insn);
            }
            case 0x0f: return f3 == 0 ? pack(FENCE, 0, 0, 0, 0) : slow(insn);
            default: return slow(insn);
        }
    }
}
