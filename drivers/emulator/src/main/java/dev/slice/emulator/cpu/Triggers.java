package dev.slice.emulator.cpu;

/**
 * Sdtrig, the debug specification's trigger module (version 1.0), without Debug Mode: {@link #COUNT} triggers of
 * type 6 ({@code mcontrol6}) that match the address of an instruction executed, a load or a store, and raise a
 * breakpoint exception (action 0) before it. {@code tselect} keeps its value when written with a trigger number
 * that does not exist (a debugger reads it back to count the triggers); {@code tinfo} names the types a trigger
 * supports (6, and 15 for "disabled"), version 1. {@code tcontrol.mte} guards M-mode: triggers do not fire in
 * M-mode while it is 0, a trap into M-mode saves it to {@code mpte} and clears it, {@code mret} restores it.
 * Fields this implementation does not offer (Debug Mode, chaining, data match, sizes, the hypervisor bits) are WARL
 * and read 0.
 */
final class Triggers {
    static final int COUNT = 4;
    static final int LOAD = 1, STORE = 2, EXECUTE = 4;

    static final int TYPE_MCONTROL6 = 6, TYPE_DISABLED = 15;
    private static final long TYPE_SHIFT = 60;
    // mcontrol6 fields
    private static final long HIT1 = 1L << 25, HIT0 = 1L << 22;
    private static final int MATCH_SHIFT = 7;
    private static final long MATCH = 0xfL << MATCH_SHIFT;
    private static final long M = 1L << 6, S = 1L << 4, U = 1L << 3;
    private static final long ACCESS_BITS = EXECUTE | STORE | LOAD;
    /** The bits a write can set: hit bits, match, the modes, the access kinds (dmode, select, size, action, chain read 0). */
    private static final long WRITABLE = HIT1 | HIT0 | MATCH | M | S | U | ACCESS_BITS;
    private static final int MATCH_EQUAL = 0, MATCH_NAPOT = 1, MATCH_GE = 2, MATCH_LT = 3;
    // tcontrol
    private static final long MTE = 1L << 3, MPTE = 1L << 7;
    static final long TINFO = (1L << 24) | (1L << TYPE_MCONTROL6) | (1L << TYPE_DISABLED);

    private final long[] tdata1 = new long[COUNT], tdata2 = new long[COUNT];
    private int selected;
    private long tcontrol;
    /** The access kinds some enabled trigger watches (0: the hart runs at full speed, no trigger checks). */
    int armed;

    Triggers() {
        for (int i = 0; i < COUNT; i++) tdata1[i] = (long) TYPE_DISABLED << TYPE_SHIFT;
    }

    long tselect() { return selected; }

    void setTselect(long v) {
        if (v >= 0 && v < COUNT) selected = (int) v; // a trigger that does not exist: tselect keeps its value
    }

    long tdata1() { return tdata1[selected]; }

    void setTdata1(long v) {
        int type = (int) (v >>> TYPE_SHIFT);
        long nv;
        if (type == TYPE_MCONTROL6) {
            nv = ((long) TYPE_MCONTROL6 << TYPE_SHIFT) | (v & WRITABLE);
            int match = (int) ((nv & MATCH) >>> MATCH_SHIFT);
            if (match > MATCH_LT) nv &= ~MATCH; // unsupported match kinds (mask, negated) become "equal"
        } else {
            nv = (long) TYPE_DISABLED << TYPE_SHIFT; // writing 0, or a type not offered, disables the trigger
        }
        tdata1[selected] = nv;
        rearm();
    }

    long tdata2() { return tdata2[selected]; }

    void setTdata2(long v) { tdata2[selected] = v; }

    long tcontrol() { return tcontrol; }

    void setTcontrol(long v) { tcontrol = v & (MTE | MPTE); }

    /** A trap into M-mode: M-mode triggers are off in the handler until mret. */
    void enterMachineTrap() { tcontrol = (tcontrol & MTE) != 0 ? MPTE : 0; }

    void returnFromMachineTrap() { tcontrol = (tcontrol & ~MTE) | ((tcontrol & MPTE) != 0 ? MTE : 0); }

    private void rearm() {
        int a = 0;
        for (long t : tdata1) if ((t >>> TYPE_SHIFT) == TYPE_MCONTROL6) a |= (int) (t & ACCESS_BITS);
        armed = a;
    }

    /**
     * Whether a trigger fires for an access of {@code kind} to {@code size} bytes at {@code address} in privilege
     * {@code priv}; a trigger that fires records it in its hit bits.
     */
    boolean fires(int kind, long address, int size, int priv) {
        if (priv == Hart.PRIV_M && (tcontrol & MTE) == 0) return false;
        long modeBit = priv == Hart.PRIV_M ? M : priv == Hart.PRIV_S ? S : U;
        boolean fired = false;
        for (int i = 0; i < COUNT; i++) {
            long t = tdata1[i];
            if ((t >>> TYPE_SHIFT) != TYPE_MCONTROL6 || (t & kind) == 0 || (t & modeBit) == 0) continue;
            if (matches((int) ((t & MATCH) >>> MATCH_SHIFT), tdata2[i], address, size)) {
                tdata1[i] = (t & ~HIT1) | HIT0; // hit = 1: fired before the instruction or access
                fired = true;
            }
        }
        return fired;
    }

    private static boolean matches(int match, long t, long address, int size) {
        return switch (match) {
            // equal: any byte the access touches (the lowest address for an instruction)
            case MATCH_EQUAL -> Long.compareUnsigned(address, t) <= 0 && Long.compareUnsigned(t - address, size) < 0;
            case MATCH_NAPOT -> {
                int zero = Long.numberOfTrailingZeros(~t); // the bits up to and including the lowest 0 are ignored
                long mask = zero >= 63 ? 0 : -1L << (zero + 1);
                yield (address & mask) == (t & mask);
            }
            case MATCH_GE -> Long.compareUnsigned(address, t) >= 0;
            default -> Long.compareUnsigned(address, t) < 0;
        };
    }
}
