package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;

import java.util.function.LongSupplier;

/** SiFive-compatible core-local interruptor for one hart: msip, mtimecmp, mtime. */
public final class Clint implements Device {
    public static final long BASE = 0x2000000, SIZE = 0x10000;
    private final LongSupplier mtime;
    private final InterruptSink softwareIrq, timerIrq;
    private long mtimecmp = -1;
    private boolean msip;

    public Clint(LongSupplier mtime, InterruptSink softwareIrq, InterruptSink timerIrq) {
        this.mtime = mtime;
        this.softwareIrq = softwareIrq;
        this.timerIrq = timerIrq;
    }

    /** Re-evaluates the timer line; called periodically by the machine. */
    public void tick() {
        timerIrq.set(Long.compareUnsigned(mtime.getAsLong(), mtimecmp) >= 0);
    }

    public long mtimecmp() { return mtimecmp; }

    @Override
    public long read(long offset, int size) {
        if (offset == 0) return msip ? 1 : 0;
        if (offset >= 0x4000 && offset < 0x4008) return field(mtimecmp, offset - 0x4000, size);
        if (offset >= 0xbff8 && offset < 0xc000) return field(mtime.getAsLong(), offset - 0xbff8, size);
        return 0;
    }

    private static long field(long v, long off, int size) {
        long shifted = v >>> (8 * off);
        return size == 8 ? shifted : shifted & ((1L << (8 * size)) - 1);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset == 0) {
            msip = (value & 1) != 0;
            softwareIrq.set(msip);
        } else if (offset >= 0x4000 && offset < 0x4008) {
            long off = offset - 0x4000;
            long mask = (size == 8 ? -1L : ((1L << (8 * size)) - 1)) << (8 * off);
            mtimecmp = (mtimecmp & ~mask) | ((value << (8 * off)) & mask);
            tick();
        }
    }
}
