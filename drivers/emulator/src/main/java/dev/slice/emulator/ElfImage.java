package dev.slice.emulator;

import dev.slice.emulator.memory.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Loads the PT_LOAD segments of a 64-bit little-endian RISC-V ELF file at their physical addresses. */
public final class ElfImage {
    private ElfImage() { }

    public static boolean isElf(byte[] b) {
        return b.length > 64 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Loads the file; returns its entry point. */
    public static long load(byte[] file, PhysicalMemory mem) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (!isElf(file) || file[4] != 2 || file[5] != 1) throw new IllegalArgumentException("not a 64-bit little-endian ELF file");
        if (b.getShort(18) != 243) throw new IllegalArgumentException("ELF file is not for RISC-V (e_machine " + b.getShort(18) + ")");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff, phnum = b.getShort(56) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != 1) continue; // PT_LOAD
            long offset = b.getLong(ph + 8), paddr = b.getLong(ph + 24);
            long filesz = b.getLong(ph + 32), memsz = b.getLong(ph + 40);
            if (memsz == 0) continue;
            mem.load(paddr, new byte[(int) memsz], 0, (int) memsz);
            mem.load(paddr, file, (int) offset, (int) filesz);
        }
        return entry;
    }
}
