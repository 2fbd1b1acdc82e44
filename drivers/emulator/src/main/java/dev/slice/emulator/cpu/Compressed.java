package dev.slice.emulator.cpu;

/** Expands RV64C instructions to the 32-bit instructions they stand for; 0 means illegal. */
final class Compressed {
    private Compressed() { }

    private static int i(int imm, int rs1, int f3, int rd, int op) { return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op; }
    private static int s(int imm, int rs2, int rs1, int f3, int op) { return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op; }
    private static int r(int f7, int rs2, int rs1, int f3, int rd, int op) { return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op; }
    private static int b(int imm, int rs2, int rs1, int f3) {
        return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
                | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
    }
    private static int j(int imm, int rd) {
        return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
    }
    private static int bit(int c, int from, int to) { return ((c >> from) & 1) << to; }
    private static int bits(int c, int hi, int lo, int to) { return ((c >> lo) & ((1 << (hi - lo + 1)) - 1)) << to; }
    private static int sext(int v, int bits) { return (v << (32 - bits)) >> (32 - bits); }

    static int expand(int c) {
        int op = c & 3, f3 = (c >>> 13) & 7;
        int rdp = 8 + ((c >>> 2) & 7), rs1p = 8 + ((c >>> 7) & 7);
        int rd = (c >>> 7) & 31, rs2 = (c >>> 2) & 31;
        int imm6 = sext(bit(c, 12, 5) | bits(c, 6, 2, 0), 6);
        switch (op) {
            case 0 -> {
                int ldImm = bits(c, 12, 10, 3) | bits(c, 6, 5, 6);
                int lwImm = bits(c, 12, 10, 3) | bit(c, 6, 2) | bit(c, 5, 6);
                switch (f3) {
                    case 0: {
                        int imm = bits(c, 12, 11, 4) | bits(c, 10, 7, 6) | bit(c, 6, 2) | bit(c, 5, 3);
                        return imm == 0 ? 0 : i(imm, 2, 0, rdp, 0x13);
                    }
                    case 1: return i(ldImm, rs1p, 3, rdp, 0x07);
                    case 2: return i(lwImm, rs1p, 2, rdp, 0x03);
                    case 3: return i(ldImm, rs1p, 3, rdp, 0x03);
                    case 5: return s(ldImm, rdp, rs1p, 3, 0x27);
                    case 6: return s(lwImm, rdp, rs1p, 2, 0x23);
                    case 7: return s(ldImm, rdp, rs1p, 3, 0x23);
                    default: return 0;
                }
            }
            case 1 -> {
                switch (f3) {
                    case 0: return i(imm6, rd, 0, rd, 0x13);
                    case 1: return rd == 0 ? 0 : i(imm6, rd, 0, rd, 0x1b);
                    case 2: return i(imm6, 0, 0, rd, 0x13);
                    case 3: {
                        if (rd == 2) {
                            int imm = sext(bit(c, 12, 9) | bit(c, 6, 4) | bit(c, 5, 6) | bits(c, 4, 3, 7) | bit(c, 2, 5), 10);
                            return imm == 0 ? 0 : i(imm, 2, 0, 2, 0x13);
                        }
                        int imm = sext(bit(c, 12, 17) | bits(c, 6, 2, 12), 18);
                        return imm == 0 ? 0 : (imm & 0xfffff000) | (rd << 7) | 0x37;
                    }
                    case 4: {
                        int f2 = (c >>> 10) & 3;
                        int sh = bit(c, 12, 5) | bits(c, 6, 2, 0);
                        switch (f2) {
                            case 0: return i(sh, rs1p, 5, rs1p, 0x13);
                            case 1: return i(sh | 0x400, rs1p, 5, rs1p, 0x13);
                            case 2: return i(imm6, rs1p, 7, rs1p, 0x13);
                            default: {
                                int sub = (c >>> 5) & 3;
                                if ((c & 0x1000) == 0) {
                                    return switch (sub) {
                                        case 0 -> r(0x20, rdp, rs1p, 0, rs1p, 0x33);
                                        case 1 -> r(0, rdp, rs1p, 4, rs1p, 0x33);
                                        case 2 -> r(0, rdp, rs1p, 6, rs1p, 0x33);
                                        default -> r(0, rdp, rs1p, 7, rs1p, 0x33);
                                    };
                                }
                                return switch (sub) {
                                    case 0 -> r(0x20, rdp, rs1p, 0, rs1p, 0x3b);
                                    case 1 -> r(0, rdp, rs1p, 0, rs1p, 0x3b);
                                    default -> 0;
                                };
                            }
                        }
                    }
                    case 5: {
                        int imm = sext(bit(c, 12, 11) | bit(c, 11, 4) | bits(c, 10, 9, 8) | bit(c, 8, 10) | bit(c, 7, 6)
                                | bit(c, 6, 7) | bits(c, 5, 3, 1) | bit(c, 2, 5), 12);
                        return j(imm, 0);
                    }
                    default: {
                        int imm = sext(bit(c, 12, 8) | bits(c, 11, 10, 3) | bits(c, 6, 5, 6) | bits(c, 4, 3, 1) | bit(c, 2, 5), 9);
                        return b(imm, 0, rs1p, f3 == 6 ? 0 : 1);
                    }
                }
            }
            case 2 -> {
                switch (f3) {
                    case 0: return i(bit(c, 12, 5) | bits(c, 6, 2, 0), rd, 1, rd, 0x13);
                    case 1: return i(bit(c, 12, 5) | bits(c, 6, 5, 3) | bits(c, 4, 2, 6), 2, 3, rd, 0x07);
                    case 2: return rd == 0 ? 0 : i(bit(c, 12, 5) | bits(c, 6, 4, 2) | bits(c, 3, 2, 6), 2, 2, rd, 0x03);
                    case 3: return rd == 0 ? 0 : i(bit(c, 12, 5) | bits(c, 6, 5, 3) | bits(c, 4, 2, 6), 2, 3, rd, 0x03);
                    case 4: {
                        if ((c & 0x1000) == 0) {
                            if (rs2 == 0) return rd == 0 ? 0 : i(0, rd, 0, 0, 0x67);
                            return r(0, rs2, 0, 0, rd, 0x33);
                        }
                        if (rs2 == 0) return rd == 0 ? 0x00100073 : i(0, rd, 0, 1, 0x67);
                        return r(0, rs2, rd, 0, rd, 0x33);
                    }
                    case 5: return s(bits(c, 12, 10, 3) | bits(c, 9, 7, 6), rs2, 2, 3, 0x27);
                    case 6: return s(bits(c, 12, 9, 2) | bits(c, 8, 7, 6), rs2, 2, 2, 0x23);
                    default: return s(bits(c, 12, 10, 3) | bits(c, 9, 7, 6), rs2, 2, 3, 0x23);
                }
            }
            default -> { return 0; }
        }
    }
}
