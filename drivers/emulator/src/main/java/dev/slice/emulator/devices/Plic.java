package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Platform-level interrupt controller with 31 sources and two contexts per hart (2n: hart n M-mode, 2n+1: S-mode). */
public final class Plic implements Device {
    public static final long BASE = 0xc000000, SIZE = 0x4000000;
    public static final int SOURCES = 32;
    private final int[] priority = new int[SOURCES];
    private int pending, claimed, level;
    private final int[] enable;
    private final int[] threshold;
    private final InterruptSink[] contexts;

    public Plic(InterruptSink machineExternal, InterruptSink supervisorExternal) {
        this(new InterruptSink[] {machineExternal, supervisorExternal});
    }

    /** {@code contexts}: the external interrupt line of each context, M and S of hart 0, then of hart 1, ... */
    public Plic(InterruptSink[] contexts) {
        this.contexts = contexts.clone();
        this.enable = new int[contexts.length];
        this.threshold = new int[contexts.length];
    }

    /** A device's interrupt line (level-triggered). */
    public InterruptSink line(int source) {
        return lvl -> setLevel(source, lvl);
    }

    private synchronized void setLevel(int source, boolean lvl) {
        int bit = 1 << source;
        if (lvl) { level |= bit; if ((claimed & bit) == 0) pending |= bit; }
        else { level &= ~bit; pending &= ~bit; }
        update();
    }

    private int best(int ctx) {
        int bestSource = 0, bestPriority = threshold[ctx];
        int candidates = pending & enable[ctx] & ~claimed;
        for (int s = 1; s < SOURCES; s++) {
            if ((candidates & (1 << s)) != 0 && priority[s] > bestPriority) { bestPriority = priority[s]; bestSource = s; }
        }
        return bestSource;
    }

    private void update() {
        for (int c = 0; c < contexts.length; c++) contexts[c].set(best(c) != 0);
    }

    /** Priorities, pending, claimed and level bits, each context's enables and threshold, for a machine snapshot. */
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(contexts.length);
        for (int p : priority) out.writeInt(p);
        out.writeInt(pending);
        out.writeInt(claimed);
        out.writeInt(level);
        for (int c = 0; c < contexts.length; c++) {
            out.writeInt(enable[c]);
            out.writeInt(threshold[c]);
        }
    }

    /** The state {@link #saveState} wrote, with every context's external interrupt line driven to match it. */
    public synchronized void restoreState(DataInput in) throws IOException {
        int n = in.readInt();
        if (n != contexts.length) throw new IOException("the PLIC state has " + n + " contexts, not " + contexts.length);
        for (int s = 0; s < SOURCES; s++) priority[s] = in.readInt();
        pending = in.readInt();
        claimed = in.readInt();
        level = in.readInt();
        for (int c = 0; c < contexts.length; c++) {
            enable[c] = in.readInt();
            threshold[c] = in.readInt();
        }
        update();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 0x1000) return priority[(int) (offset >> 2) & (SOURCES - 1)];
        if (offset == 0x1000) return pending & 0xffffffffL;
        if (offset >= 0x2000 && offset < 0x200000) {
            int ctx = (int) ((offset - 0x2000) >> 7);
            return ctx < contexts.length && ((offset - 0x2000) & 0x7f) == 0 ? enable[ctx] & 0xffffffffL : 0;
        }
        if (offset >= 0x200000) {
            int ctx = (int) ((offset - 0x200000) >> 12);
            if (ctx >= contexts.length) return 0;
            int reg = (int) ((offset - 0x200000) & 0xfff);
            if (reg == 0) return threshold[ctx];
            if (reg == 4) { // claim
                int s = best(ctx);
                if (s != 0) { pending &= ~(1 << s); claimed |= 1 << s; update(); }
                return s;
            }
        }
        return 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 0x1000) { int s = (int) (offset >> 2); if (s > 0 && s < SOURCES) priority[s] = (int) (value & 7); }
        else if (offset >= 0x2000 && offset < 0x200000) {
            int ctx = (int) ((offset - 0x2000) >> 7);
            if (ctx < contexts.length && ((offset - 0x2000) & 0x7f) == 0) enable[ctx] = (int) value & ~1;
        } else if (offset >= 0x200000) {
            int ctx = (int) ((offset - 0x200000) >> 12);
            if (ctx >= contexts.length) return;
            int reg = (int) ((offset - 0x200000) & 0xfff);
            if (reg == 0) threshold[ctx] = (int) (value & 7);
            else if (reg == 4) { // complete
                int s = (int) value;
                if (s > 0 && s < SOURCES) {
                    claimed &= ~(1 << s);
                    if ((level & (1 << s)) != 0) pending |= 1 << s;
                }
            }
        }
        update();
    }
}
