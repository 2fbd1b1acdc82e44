package dev.slice.emulator;

import dev.slice.emulator.memory.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Loads the PT_LOAD segments of a 64-bit little-endian RISC-V ELF file at their physical addresses.
 * A file that does not fit (a header or segment beyond the file's end, a segment outside RAM) is refused with a
 * {@link BadImageException} naming the segment, before anything is copied.
 */
public final class ElfImage {
    private static final int PT_LOAD = 1;

    private ElfImage() { }

    /** An image that cannot be loaded into this machine; the message is one line for the operator. */
    public static final class BadImageException extends IllegalArgumentException {
        BadImageException(String message) { super(message); }
    }

    public static boolean isElf(byte[] b) {
        return b.length > 64 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    /** Loads the file; returns its entry point. */
    public static long load(byte[] file, PhysicalMemory mem) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (!isElf(file) || file[4] != 2 || file[5] != 1) throw new BadImageException("not a 64-bit little-endian ELF file");
        if (b.getShort(18) != 243) throw new BadImageException("ELF file is not for RISC-V (e_machine " + b.getShort(18) + ")");
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff, phnum = b.getShort(56) & 0xffff;
        if (phnum > 0 && (phentsize < 56 || phoff < 0 || phoff + (long) phnum * phentsize > file.length)) {
            throw new BadImageException("ELF program headers (offset " + phoff + ", " + phnum + " of " + phentsize
                    + " bytes) lie beyond the end of the " + file.length + "-byte file");
        }
        // check every segment first, so a bad one leaves RAM untouched
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < phnum; i++) {
                int ph = (int) (phoff + (long) i * phentsize);
                if (b.getInt(ph) != PT_LOAD) continue;
                long offset = b.getLong(ph + 8), paddr = b.getLong(ph + 24);
                long filesz = b.getLong(ph + 32), memsz = b.getLong(ph + 40);
                if (memsz == 0) continue;
                if (pass == 0) check(i, offset, paddr, filesz, memsz, file.length, mem);
                else {
                    mem.load(paddr, new byte[(int) memsz], 0, (int) memsz);
                    mem.load(paddr, file, (int) offset, (int) filesz);
                }
            }
        }
        return entry;
    }

    private static void check(int i, long offset, long paddr, long filesz, long memsz, int fileLength, PhysicalMemory mem) {
        String seg = "ELF load segment " + i + " (0x" + Long.toHexString(paddr) + ", " + memsz + " bytes)";
        if (filesz < 0 || memsz < 0 || filesz > memsz) throw new BadImageException(seg + " has file size " + filesz + " beyond its memory size");
        if (offset < 0 || offset + filesz > fileLength) throw new BadImageException(seg + " lies beyond the end of the " + fileLength + "-byte file");
        long ramEnd = mem.ramBase + mem.ramSize;
        if (Long.compareUnsigned(paddr, mem.ramBase) < 0 || memsz > mem.ramSize || Long.compareUnsigned(paddr, ramEnd - memsz) > 0) {
            throw new BadImageException(seg + " is outside RAM (0x" + Long.toHexString(mem.ramBase) + "-0x"
                    + Long.toHexString(ramEnd - 1) + "): link the program for this machine or give it more --memory");
        }
    }
}
