package dev.slice.emulator.cpu;

/**
 * The one decoder: every RV64GC encoding becomes an operation with its fields and immediate, or {@link #ILLEGAL}.
 * {@link Hart}'s execution loop is the one place that gives each operation its meaning; the decode cache
 * ({@link Decoded}) stores these results per page, and an instruction straddling a page is decoded here on the spot.
 * <p>Result: descriptor in the low 32 bits (op [0,8), rd [8,14), rs1 [14,19), rs2 [19,24), 4-byte flag bit 24),
 * immediate in the high 32 bits. Writes to x0 are aimed at {@link #SINK}, so no operation tests rd for zero.
 * The floating-point groups keep the raw instruction as the immediate; {@link FpOps} reads its own fields.
 */
final class Decoder {
    private Decoder() { }

    static final int CROSS = 1, ILLEGAL = 2;
    static final int LUI = 4, AUIPC = 5, JAL = 6, JALR = 7;
    static final int BEQ = 8, BNE = 9, BLT = 10, BGE = 11, BLTU = 12, BGEU = 13;
    static final int LB = 14, LH = 15, LW = 16, LD = 17, LBU = 18, LHU = 19, LWU = 20;
    static final int SB = 21, SH = 22, SW = 23, SD = 24;
    static final int ADDI = 25, SLTI = 26, SLTIU = 27, XORI = 28, ORI = 29, ANDI = 30, SLLI = 31, SRLI = 32, SRAI = 33;
    static final int ADD = 34, SUB = 35, SLL = 36, SLT = 37, SLTU = 38, XOR = 39, SRL = 40, SRA = 41, OR = 42, AND = 43;
    static final int ADDIW = 44, SLLIW = 45, SRLIW = 46, SRAIW = 47, ADDW = 48, SUBW = 49, SLLW = 50, SRLW = 51, SRAW = 52;
    static final int MUL = 53, MULW = 54, FENCE = 55;
    static final int MULH = 56, MULHSU = 57, MULHU = 58, DIV = 59, DIVU = 60, REM = 61, REMU = 62;
    static final int DIVW = 63, DIVUW = 64, REMW = 65, REMUW = 66;
    static final int FENCE_I = 67, ECALL = 68, EBREAK = 69, MRET = 70, SRET = 71, WFI = 72, SFENCE_VMA = 73;
    /** CSR instructions: the immediate is the CSR number; rs1 holds the register or the 5-bit immediate. */
    static final int CSRRW = 74, CSRRS = 75, CSRRC = 76, CSRRWI = 77, CSRRSI = 78, CSRRCI = 79;
    /** A extension: the immediate is funct5 (the AMO's operation). */
    static final int LR_W = 80, LR_D = 81, SC_W = 82, SC_D = 83, AMO_W = 84, AMO_D = 85;
    /** F and D: loads and stores with decoded fields (rd and rs2 are f registers); the rest as raw instructions. */
    static final int FLW = 86, FLD = 87, FSW = 88, FSD = 89, FP_FMA = 90, FP_OP = 91;
    /** Zihintpause {@code pause} (the encoding of {@code fence w,0}): a spin-wait loop's hint. */
    static final int PAUSE = 92;
    static final int PAUSE_BITS = 0x0100000f;
    static final int LEN4 = 1 << 24;
    static final int SINK = 32;

    /** Decodes a 16-bit instruction (low two bits not 11), through its 32-bit expansion. */
    static long decode16(int half) {
        int e = Compressed.expand(half & 0xffff);
        if (e == 0) return pack(ILLEGAL, 0, 0, 0, half & 0xffff);
        long r = classify(e); // without LEN4: the instruction is 2 bytes long
        // an illegal expansion reports the compressed bits, as the instruction the program holds
        return (int) r == ILLEGAL ? pack(ILLEGAL, 0, 0, 0, half & 0xffff) : r;
    }

    /** Decodes a 32-bit instruction; the result carries {@link #LEN4}. */
    static long decode32(int insn) {
        return classify(insn) | LEN4;
    }

    /** Decodes whatever instruction starts with these bits (a 16-bit one uses only the low half). */
    static long decode(int bits) {
        return (bits & 3) == 3 ? decode32(bits) : decode16(bits);
    }

    private static long pack(int op, int rd, int rs1, int rs2, int imm) {
        int d = op | ((rd == 0 ? SINK : rd) << 8) | (rs1 << 14) | (rs2 << 19);
        return (d & 0xffffffffL) | ((long) imm << 32);
    }

    /** For f-register destinations: f0 is a real register. */
    private static long packF(int op, int rd, int rs1, int rs2, int imm) {
        int d = op | (rd << 8) | (rs1 << 14) | (rs2 << 19);
        return (d & 0xffffffffL) | ((long) imm << 32);
    }

    private static long illegal(int insn) { return pack(ILLEGAL, 0, 0, 0, insn); }

    private static long classify(int insn) {
        int rd = (insn >>> 7) & 31, rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31, f3 = (insn >>> 12) & 7, f7 = insn >>> 25;
        int iImm = insn >> 20;
        int sImm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
        switch (insn & 0x7f) {
            case 0x37: return pack(LUI, rd, 0, 0, insn & 0xfffff000);
            case 0x17: return pack(AUIPC, rd, 0, 0, insn & 0xfffff000);
            case 0x6f: {
                int j = ((insn >> 31) << 20) | (((insn >>> 12) & 0xff) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 0x3ff) << 1);
                return pack(JAL, rd, 0, 0, j);
            }
            case 0x67: return f3 == 0 ? pack(JALR, rd, rs1, 0, iImm) : illegal(insn);
            case 0x63: {
                int b = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
                int op = switch (f3) { case 0 -> BEQ; case 1 -> BNE; case 4 -> BLT; case 5 -> BGE; case 6 -> BLTU; case 7 -> BGEU; default -> 0; };
                return op == 0 ? illegal(insn) : pack(op, 0, rs1, rs2, b);
            }
            case 0x03: {
                int op = switch (f3) { case 0 -> LB; case 1 -> LH; case 2 -> LW; case 3 -> LD; case 4 -> LBU; case 5 -> LHU; case 6 -> LWU; default -> 0; };
                return op == 0 ? illegal(insn) : pack(op, rd, rs1, 0, iImm);
            }
            case 0x23: {
                int op = switch (f3) { case 0 -> SB; case 1 -> SH; case 2 -> SW; case 3 -> SD; default -> 0; };
                return op == 0 ? illegal(insn) : pack(op, 0, rs1, rs2, sImm);
            }
            case 0x13: {
                switch (f3) {
                    case 0: return pack(ADDI, rd, rs1, 0, iImm);
                    case 2: return pack(SLTI, rd, rs1, 0, iImm);
                    case 3: return pack(SLTIU, rd, rs1, 0, iImm);
                    case 4: return pack(XORI, rd, rs1, 0, iImm);
                    case 6: return pack(ORI, rd, rs1, 0, iImm);
                    case 7: return pack(ANDI, rd, rs1, 0, iImm);
                    case 1: return (insn >>> 26) == 0 ? pack(SLLI, rd, rs1, 0, iImm & 63) : illegal(insn);
                    default: {
                        int top = insn >>> 26;
                        if (top == 0) return pack(SRLI, rd, rs1, 0, iImm & 63);
                        if (top == 0x10) return pack(SRAI, rd, rs1, 0, iImm & 63);
                        return illegal(insn);
                    }
                }
            }
            case 0x1b: {
                if (f3 == 0) return pack(ADDIW, rd, rs1, 0, iImm);
                if (f3 == 1 && f7 == 0) return pack(SLLIW, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0) return pack(SRLIW, rd, rs1, 0, rs2);
                if (f3 == 5 && f7 == 0x20) return pack(SRAIW, rd, rs1, 0, rs2);
                return illegal(insn);
            }
            case 0x33: {
                int op = 0;
                if (f7 == 0) op = switch (f3) { case 0 -> ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU; case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND; };
                else if (f7 == 1) op = switch (f3) { case 0 -> MUL; case 1 -> MULH; case 2 -> MULHSU; case 3 -> MULHU; case 4 -> DIV; case 5 -> DIVU; case 6 -> REM; default -> REMU; };
                else if (f7 == 0x20 && f3 == 0) op = SUB;
                else if (f7 == 0x20 && f3 == 5) op = SRA;
                return op == 0 ? illegal(insn) : pack(op, rd, rs1, rs2, 0);
            }
            case 0x3b: {
                int op = 0;
                if (f7 == 0) op = switch (f3) { case 0 -> ADDW; case 1 -> SLLW; case 5 -> SRLW; default -> 0; };
                else if (f7 == 0x20) op = switch (f3) { case 0 -> SUBW; case 5 -> SRAW; default -> 0; };
                else if (f7 == 1) op = switch (f3) { case 0 -> MULW; case 4 -> DIVW; case 5 -> DIVUW; case 6 -> REMW; case 7 -> REMUW; default -> 0; };
                return op == 0 ? illegal(insn) : pack(op, rd, rs1, rs2, 0);
            }
            case 0x0f: return insn == PAUSE_BITS ? pack(PAUSE, 0, 0, 0, 0) : f3 == 0 ? pack(FENCE, 0, 0, 0, 0)
                    : f3 == 1 ? pack(FENCE_I, 0, 0, 0, 0) : illegal(insn);
            case 0x73: return system(insn, rd, rs1, f3);
            case 0x2f: return atomic(insn, rd, rs1, rs2, f3);
            case 0x07: return f3 == 2 ? packF(FLW, rd, rs1, 0, iImm) : f3 == 3 ? packF(FLD, rd, rs1, 0, iImm) : illegal(insn);
            case 0x27: return f3 == 2 ? packF(FSW, 0, rs1, rs2, sImm) : f3 == 3 ? packF(FSD, 0, rs1, rs2, sImm) : illegal(insn);
            case 0x43, 0x47, 0x4b, 0x4f: return packF(FP_FMA, 0, 0, 0, insn);
            case 0x53: return packF(FP_OP, 0, 0, 0, insn);
            default: return illegal(insn);
        }
    }

    private static long system(int insn, int rd, int rs1, int f3) {
        if (f3 == 0) {
            if ((insn >>> 25) == 0x09) return rd == 0 ? pack(SFENCE_VMA, 0, rs1, (insn >>> 20) & 31, 0) : illegal(insn);
            if (rd != 0 || rs1 != 0) return illegal(insn);
            return switch (insn >>> 20) {
                case 0x000 -> pack(ECALL, 0, 0, 0, 0);
                case 0x001 -> pack(EBREAK, 0, 0, 0, 0);
                case 0x302 -> pack(MRET, 0, 0, 0, 0);
                case 0x102 -> pack(SRET, 0, 0, 0, 0);
                case 0x105 -> pack(WFI, 0, 0, 0, 0);
                default -> illegal(insn);
            };
        }
        int op = switch (f3) { case 1 -> CSRRW; case 2 -> CSRRS; case 3 -> CSRRC; case 5 -> CSRRWI; case 6 -> CSRRSI; case 7 -> CSRRCI; default -> 0; };
        return op == 0 ? illegal(insn) : pack(op, rd, rs1, 0, insn >>> 20);
    }

    private static long atomic(int insn, int rd, int rs1, int rs2, int f3) {
        if (f3 != 2 && f3 != 3) return illegal(insn);
        boolean d = f3 == 3;
        int f5 = insn >>> 27;
        switch (f5) {
            case 2: return rs2 == 0 ? pack(d ? LR_D : LR_W, rd, rs1, 0, 0) : illegal(insn);
            case 3: return pack(d ? SC_D : SC_W, rd, rs1, rs2, 0);
            case 0, 1, 4, 8, 12, 16, 20, 24, 28: return pack(d ? AMO_D : AMO_W, rd, rs1, rs2, f5);
            default: return illegal(insn);
        }
    }
}
