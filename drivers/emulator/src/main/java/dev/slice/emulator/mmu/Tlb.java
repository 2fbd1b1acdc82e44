package dev.slice.emulator.mmu;

import java.util.Arrays;

/**
 * The translation cache: 256 direct-mapped entries per access type (read, write, fetch), in two sets, one filled
 * in U-mode and one in S-mode (the permissions checked differ), so traps and returns need no flush. Two flat
 * {@code long} arrays (virtual page number, physical page) keep the lookup to one compare.
 */
public final class Tlb {
    public static final int READ = 0, WRITE = 1, EXEC = 2;
    public static final long MISS = -1;
    private static final int SIZE = 256;
    private final long[] tag = new long[6 * SIZE];
    private final long[] page = new long[6 * SIZE];
    private int dataSet, fetchSet;

    public Tlb() { flush(); }

    /** Chooses the set for data accesses and for fetches by the privilege they are checked at. */
    public void selectSets(boolean dataInUserMode, boolean fetchInUserMode) {
        dataSet = dataInUserMode ? 0 : 3 * SIZE;
        fetchSet = fetchInUserMode ? 0 : 3 * SIZE;
    }

    /** The physical address of {@code va}, or {@link #MISS}. */
    public long lookup(long va, int access) {
        long vpn = va >>> 12;
        int i = index(vpn, access);
        return tag[i] == vpn ? page[i] | (va & 0xfff) : MISS;
    }

    void fill(long va, int access, long pa) {
        long vpn = va >>> 12;
        int i = index(vpn, access);
        tag[i] = vpn;
        page[i] = pa & ~0xfffL;
    }

    public void flush() { Arrays.fill(tag, -1L); }

    private int index(long vpn, int access) {
        return (access == EXEC ? fetchSet : dataSet) + access * SIZE + (int) (vpn & (SIZE - 1));
    }
}
