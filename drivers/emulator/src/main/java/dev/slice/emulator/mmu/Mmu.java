package dev.slice.emulator.mmu;

import dev.slice.emulator.memory.PhysicalMemory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Sv39/Sv48 page-table walks with all permission checks, superpage alignment and hardware A/D update; each
 * successful walk fills the {@link Tlb}. Faults are returned as negative codes (the hart raises the trap that
 * matches the access), so a walk allocates and throws nothing.
 */
public final class Mmu {
    public static final long PAGE_FAULT = -2, ACCESS_FAULT = -3;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int PRIV_U = 0, PRIV_S = 1;
    private final PhysicalMemory mem;
    private final byte[] ram;
    private final long ramBase;
    private final Tlb tlb;

    public Mmu(PhysicalMemory mem, Tlb tlb) {
        this.mem = mem;
        this.ram = mem.ram;
        this.ramBase = mem.ramBase;
        this.tlb = tlb;
    }

    /**
     * Walks the page table of {@code satp} for {@code va}, checked for {@code access} ({@link Tlb#READ} ...) at
     * privilege {@code priv} with mstatus.SUM and .MXR as given; returns the physical address or a fault code.
     */
    public long walk(long va, int access, long satp, int priv, boolean sum, boolean mxr) {
        int mode = (int) (satp >>> 60);
        int levels = mode == 9 ? 4 : 3;
        int vaBits = 12 + 9 * levels;
        long hi = va >> (vaBits - 1);
        if (hi != 0 && hi != -1) return PAGE_FAULT;
        long a = (satp & 0xfffffffffffL) << 12;
        int level = levels - 1;
        long pte, pteAddr;
        while (true) {
            pteAddr = a + ((va >>> (12 + 9 * level)) & 511) * 8;
            if (!mem.isRam(pteAddr, 8)) return ACCESS_FAULT;
            pte = (long) LONG.get(ram, (int) (pteAddr - ramBase));
            boolean v = (pte & 1) != 0, r = (pte & 2) != 0, w = (pte & 4) != 0, xx = (pte & 8) != 0;
            if (!v || (!r && w) || (pte >>> 54) != 0) return PAGE_FAULT;
            if (r || xx) break;
            if ((pte & 0xd0) != 0) return PAGE_FAULT; // A, D, U must be clear in non-leaf PTEs
            if (--level < 0) return PAGE_FAULT;
            a = ((pte >>> 10) & 0xfffffffffffL) << 12;
        }
        boolean r = (pte & 2) != 0, w = (pte & 4) != 0, xx = (pte & 8) != 0, u = (pte & 16) != 0;
        if (priv == PRIV_U && !u) return PAGE_FAULT;
        if (priv == PRIV_S && u && (access == Tlb.EXEC || !sum)) return PAGE_FAULT;
        switch (access) {
            case Tlb.EXEC -> { if (!xx) return PAGE_FAULT; }
            case Tlb.WRITE -> { if (!w) return PAGE_FAULT; }
            default -> { if (!(r || (xx && mxr))) return PAGE_FAULT; }
        }
        long ppn = (pte >>> 10) & 0xfffffffffffL;
        if (level > 0 && (ppn & ((1L << (9 * level)) - 1)) != 0) return PAGE_FAULT;
        long newPte = pte | 0x40 | (access == Tlb.WRITE ? 0x80 : 0);
        if (newPte != pte) LONG.set(ram, (int) (pteAddr - ramBase), newPte);
        long offMask = (1L << (12 + 9 * level)) - 1;
        long pa = ((ppn << 12) & ~offMask) | (va & offMask);
        tlb.fill(va, access, pa);
        return pa;
    }
}
