package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/** SiFive-compatible core-local interruptor: per hart an msip word (0x0 + 4n) and mtimecmp (0x4000 + 8n); mtime. */
public final class Clint implements Device {
    public static final long BASE = 0x2000000, SIZE = 0x10000;
    private final LongSupplier mtime;
    private final InterruptSink[] softwareIrq, timerIrq;
    private final long[] mtimecmp;
    private final boolean[] msip;

    public Clint(LongSupplier mtime, InterruptSink softwareIrq, InterruptSink timerIrq) {
        this(mtime, 1, h -> softwareIrq, h -> timerIrq);
    }

    public Clint(LongSupplier mtime, int harts, IntFunction<InterruptSink> softwareIrq, IntFunction<InterruptSink> timerIrq) {
        this.mtime = mtime;
        this.softwareIrq = new InterruptSink[harts];
        this.timerIrq = new InterruptSink[harts];
        for (int h = 0; h < harts; h++) { this.softwareIrq[h] = softwareIrq.apply(h); this.timerIrq[h] = timerIrq.apply(h); }
        this.mtimecmp = new long[harts];
        java.util.Arrays.fill(mtimecmp, -1);
        this.msip = new boolean[harts];
    }

    /** Re-evaluates every hart's timer line. */
    public synchronized void tick() {
        for (int h = 0; h < mtimecmp.length; h++) tick(h);
    }

    /** Re-evaluates one hart's timer line; called periodically by the machine. */
    public synchronized void tick(int hart) {
        timerIrq[hart].set(Long.compareUnsigned(mtime.getAsLong(), mtimecmp[hart]) >= 0);
    }

    public synchronized long mtimecmp() { return mtimecmp[0]; }

    public synchronized long mtimecmp(int hart) { return mtimecmp[hart]; }

    /** Each hart's msip and mtimecmp, for a machine snapshot (mtime is the machine's clock, saved with it). */
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(mtimecmp.length);
        for (int h = 0; h < mtimecmp.length; h++) {
            out.writeLong(mtimecmp[h]);
            out.writeBoolean(msip[h]);
        }
    }

    /** The state {@link #saveState} wrote, with the harts' interrupt lines driven to match it. */
    public synchronized void restoreState(DataInput in) throws IOException {
        int harts = in.readInt();
        if (harts != mtimecmp.length) throw new IOException("the CLINT state is for " + harts + " harts, not " + mtimecmp.length);
        for (int h = 0; h < harts; h++) {
            mtimecmp[h] = in.readLong();
            msip[h] = in.readBoolean();
            softwareIrq[h].set(msip[h]);
            tick(h);
        }
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 4L * msip.length) return (offset & 3) == 0 && msip[(int) (offset >> 2)] ? 1 : 0;
        if (offset >= 0x4000 && offset < 0x4000 + 8L * mtimecmp.length) {
            return field(mtimecmp[(int) ((offset - 0x4000) >> 3)], (offset - 0x4000) & 7, size);
        }
        if (offset >= 0xbff8 && offset < 0xc000) return field(mtime.getAsLong(), offset - 0xbff8, size);
        return 0;
    }

    private static long field(long v, long off, int size) {
        long shifted = v >>> (8 * off);
        return size == 8 ? shifted : shifted & ((1L << (8 * size)) - 1);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 4L * msip.length) {
            if ((offset & 3) != 0) return;
            int h = (int) (offset >> 2);
            msip[h] = (value & 1) != 0;
            softwareIrq[h].set(msip[h]);
        } else if (offset >= 0x4000 && offset < 0x4000 + 8L * mtimecmp.length) {
            int h = (int) ((offset - 0x4000) >> 3);
            long off = (offset - 0x4000) & 7;
            long mask = (size == 8 ? -1L : ((1L << (8 * size)) - 1)) << (8 * off);
            mtimecmp[h] = (mtimecmp[h] & ~mask) | ((value << (8 * off)) & mask);
            tick(h);
        }
    }
}
