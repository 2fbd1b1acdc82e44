package dev.slice.emulator.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random RV64 programs for the translator's differential test: a prologue (x8 = data area, x9 = round counter),
 * a loop of random instructions repeated 150 times, then a self-loop. The loop holds every integer operation the
 * translator emits (register and immediate forms, W forms, M incl. division), LUI/AUIPC, all loads and stores
 * (misaligned ones too) on the data area, forward branches of every condition, compressed instructions, F/D moves,
 * arithmetic, loads and stores, and traps: loads from address 0 (access fault) and ebreak, 4 bytes each (the
 * handler skips 4 bytes). x8 and x9 are never written by the random part.
 */
final class RandomPrograms {
    private RandomPrograms() { }

    private record Item(int bits, int length, int skip) { }

    private static final int[][] R = { // opcode, funct3, funct7
            {0x33, 0, 0}, {0x33, 0, 0x20}, {0x33, 1, 0}, {0x33, 2, 0}, {0x33, 3, 0}, {0x33, 4, 0}, {0x33, 5, 0}, {0x33, 5, 0x20},
            {0x33, 6, 0}, {0x33, 7, 0}, {0x33, 0, 1}, {0x33, 1, 1}, {0x33, 2, 1}, {0x33, 3, 1}, {0x33, 4, 1}, {0x33, 5, 1},
            {0x33, 6, 1}, {0x33, 7, 1}, {0x3b, 0, 0}, {0x3b, 0, 0x20}, {0x3b, 1, 0}, {0x3b, 5, 0}, {0x3b, 5, 0x20},
            {0x3b, 0, 1}, {0x3b, 4, 1}, {0x3b, 5, 1}, {0x3b, 6, 1}, {0x3b, 7, 1}};
    private static final int[] BRANCH_F3 = {0, 1, 4, 5, 6, 7};

    static int[] generate(Random r) {
        List<Item> items = new ArrayList<>();
        items.add(new Item(0x00080417, 4, 0));                 // auipc x8, 0x80: the data area
        items.add(new Item((150 << 20) | (9 << 7) | 0x13, 4, 0)); // addi x9, x0, 150
        int loop = items.size();
        int body = 20 + r.nextInt(40);
        for (int i = 0; i < body; i++) items.add(random(r));
        items.add(new Item((0xfff << 20) | (9 << 15) | (9 << 7) | 0x13, 4, 0)); // addi x9, x9, -1
        int back = items.size();
        items.add(null); // bne x9, x0, loop: patched below
        items.add(new Item(0x0000006f, 4, 0)); // j .
        int[] at = new int[items.size() + 1];
        for (int i = 0; i < items.size(); i++) at[i + 1] = at[i] + (items.get(i) == null ? 4 : items.get(i).length());
        List<Integer> halves = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            int bits;
            if (i == back) bits = branch(1, 9, 0, at[loop] - at[i]);
            else if (it.skip() > 0) bits = it.bits() | branch(0, 0, 0, at[Math.min(i + 1 + it.skip(), back)] - at[i]);
            else bits = it.bits();
            halves.add(bits & 0xffff);
            if (it == null || it.length() == 4) halves.add(bits >>> 16);
        }
        if ((halves.size() & 1) != 0) halves.add(0x0001); // c.nop
        int[] words = new int[halves.size() / 2];
        for (int i = 0; i < words.length; i++) words[i] = halves.get(2 * i) | (halves.get(2 * i + 1) << 16);
        return words;
    }

    private static int dest(Random r) {
        int d;
        do { d = r.nextInt(32); } while (d == 8 || d == 9);
        return d;
    }

    private static int reg(Random r) { return r.nextInt(32); }

    private static Item random(Random r) {
        int k = r.nextInt(100);
        if (k < 30) {
            int[] o = R[r.nextInt(R.length)];
            return word((o[2] << 25) | (reg(r) << 20) | (reg(r) << 15) | (o[1] << 12) | (dest(r) << 7) | o[0]);
        }
        if (k < 52) {
            int f3 = new int[] {0, 1, 2, 3, 4, 5, 6, 7}[r.nextInt(8)];
            boolean w = r.nextInt(4) == 0 && (f3 == 0 || f3 == 1 || f3 == 5);
            int imm = r.nextInt(4096);
            if (f3 == 1 || f3 == 5) imm = (w ? r.nextInt(32) : r.nextInt(64)) | (f3 == 5 && r.nextBoolean() ? 0x400 : 0);
            return word((imm << 20) | (reg(r) << 15) | (f3 << 12) | (dest(r) << 7) | (w ? 0x1b : 0x13));
        }
        if (k < 56) return word((r.nextInt() & 0xfffff000) | (dest(r) << 7) | (r.nextBoolean() ? 0x37 : 0x17));
        if (k < 67) { // load from the data area
            int imm = r.nextInt(4081) - 2040;
            return word(((imm & 0xfff) << 20) | (8 << 15) | (r.nextInt(7) << 12) | (dest(r) << 7) | 0x03);
        }
        if (k < 77) { // store to the data area
            int imm = r.nextInt(4081) - 2040;
            return word((((imm >> 5) & 0x7f) << 25) | (reg(r) << 20) | (8 << 15) | (r.nextInt(4) << 12) | ((imm & 31) << 7) | 0x23);
        }
        if (k < 83) return new Item((reg(r) << 20) | (reg(r) << 15) | (BRANCH_F3[r.nextInt(6)] << 12) | 0x63, 4, 1 + r.nextInt(3));
        if (k < 88) { // compressed: c.addi, c.li, c.mv, c.add
            int rd = dest(r);
            if (rd == 0) rd = 1;
            int imm = 1 + r.nextInt(31), rs = 1 + r.nextInt(31);
            int bits = switch (r.nextInt(4)) {
                case 0 -> (((imm >> 5) & 1) << 12) | (rd << 7) | ((imm & 31) << 2) | 1;
                case 1 -> (2 << 13) | (rd << 7) | ((imm & 31) << 2) | 1;
                case 2 -> (4 << 13) | (rd << 7) | (rs << 2) | 2;
                default -> (4 << 13) | (1 << 12) | (rd << 7) | (rs << 2) | 2;
            };
            return new Item(bits, 2, 0);
        }
        if (k < 90) return r.nextBoolean() ? word(0x00100073) // ebreak
                : word(((r.nextInt(2048)) << 20) | (r.nextInt(7) << 12) | (dest(r) << 7) | 0x03); // load from 0..2047: access fault
        int fd = r.nextInt(32), fa = r.nextInt(32), fb = r.nextInt(32);
        return switch (r.nextInt(6)) {
            case 0 -> word((0x79 << 25) | (reg(r) << 15) | (fd << 7) | 0x53);                     // fmv.d.x
            case 1 -> word((0x71 << 25) | (fa << 15) | (dest(r) << 7) | 0x53);                    // fmv.x.d
            case 2 -> word((new int[] {0x01, 0x05, 0x09, 0x0d}[r.nextInt(4)] << 25) | (fb << 20) | (fa << 15) | (7 << 12) | (fd << 7) | 0x53);
            case 3 -> word(((r.nextInt(256) * 8) << 20) | (8 << 15) | (3 << 12) | (fd << 7) | 0x07); // fld
            case 4 -> { int imm = r.nextInt(256) * 8; yield word((((imm >> 5) & 0x7f) << 25) | (fb << 20) | (8 << 15) | (3 << 12) | ((imm & 31) << 7) | 0x27); }
            default -> word((0x01 << 25) | (fb << 20) | (fa << 15) | (r.nextInt(5) << 12) | (fd << 7) | 0x43); // fmadd.d, static rounding
        };
    }

    private static Item word(int bits) { return new Item(bits, 4, 0); }

    /** The B-type bits of a branch (funct3, rs1, rs2) to {@code offset} bytes away. */
    private static int branch(int f3, int rs1, int rs2, int offset) {
        return (((offset >> 12) & 1) << 31) | (((offset >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
                | (((offset >> 1) & 0xf) << 8) | (((offset >> 11) & 1) << 7) | 0x63;
    }
}
