package dev.slice.emulator.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The physical address space: one RAM region and memory-mapped devices. */
public final class PhysicalMemory {
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    public final long ramBase;
    public final long ramSize;
    public final byte[] ram;
    private final List<Region> regions = new ArrayList<>();
    private long[] starts = new long[0];
    private long[] ends = new long[0];
    private Device[] devices = new Device[0];
    /** Per 4 KiB RAM page: true when decoded instructions may be cached for it (see {@link #codeWritten}). */
    private final boolean[] codePage;
    /** One per hart: each keeps its own decoded pages. */
    private final List<java.util.function.IntConsumer> codeWriteListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Region(long start, long size, Device device) { }

    public PhysicalMemory(long ramBase, long ramSize) {
        if (ramSize > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("RAM larger than 2 GiB is not supported: " + ramSize);
        this.ramBase = ramBase;
        this.ramSize = ramSize;
        this.ram = new byte[(int) ramSize];
        this.codePage = new boolean[(int) (ramSize >>> 12) + 1];
    }

    public void map(long start, long size, Device device) {
        regions.add(new Region(start, size, device));
        starts = regions.stream().mapToLong(Region::start).toArray();
        ends = regions.stream().mapToLong(r -> r.start + r.size).toArray();
        devices = regions.stream().map(Region::device).toArray(Device[]::new);
    }

    public boolean isRam(long pa, int size) {
        long off = pa - ramBase;
        return off >= 0 && off <= ramSize - size;
    }

    /** Index of the device at {@code pa}, or -1. */
    private int find(long pa) {
        for (int i = 0; i < starts.length; i++) if (pa >= starts[i] && pa < ends[i]) return i;
        return -1;
    }

    /** True when {@code pa} is backed by RAM or a device (physical memory protection: everything else faults). */
    public boolean exists(long pa, int size) {
        return isRam(pa, size) || find(pa) >= 0;
    }

    /** Reads; the caller has checked {@link #exists}. Returns zero-extended bits. */
    public long read(long pa, int size) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) {
            int o = (int) off;
            return switch (size) {
                case 1 -> ram[o] & 0xffL;
                case 2 -> (short) SHORT.get(ram, o) & 0xffffL;
                case 4 -> (int) INT.get(ram, o) & 0xffffffffL;
                default -> (long) LONG.get(ram, o);
            };
        }
        int i = find(pa);
        if (i < 0) return 0;
        Device d = devices[i];
        synchronized (d) { return d.read(pa - starts[i], size); } // harts on several threads: one access at a time
    }

    public void write(long pa, int size, long value) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) {
            int o = (int) off;
            if (codePage[o >>> 12] || codePage[(o + size - 1) >>> 12]) codeWritten(o, size);
            switch (size) {
                case 1 -> ram[o] = (byte) value;
                case 2 -> SHORT.set(ram, o, (short) value);
                case 4 -> INT.set(ram, o, (int) value);
                default -> LONG.set(ram, o, value);
            }
            return;
        }
        int i = find(pa);
        if (i < 0) return;
        Device d = devices[i];
        synchronized (d) { d.write(pa - starts[i], size, value); }
    }

    // --- fast RAM access by offset, for the CPU's translated paths and DMA ---
    public long ramLong(int off) { return (long) LONG.get(ram, off); }
    public int ramInt(int off) { return (int) INT.get(ram, off); }
    public short ramShort(int off) { return (short) SHORT.get(ram, off); }

    public void ramWriteLong(int off, long v) { if (codePage[off >>> 12] || codePage[(off + 7) >>> 12]) codeWritten(off, 8); LONG.set(ram, off, v); }
    public void ramWriteInt(int off, int v) { if (codePage[off >>> 12] || codePage[(off + 3) >>> 12]) codeWritten(off, 4); INT.set(ram, off, v); }
    public void ramWriteShort(int off, short v) { if (codePage[off >>> 12] || codePage[(off + 1) >>> 12]) codeWritten(off, 2); SHORT.set(ram, off, v); }
    public void ramWriteByte(int off, byte v) { if (codePage[off >>> 12]) codeWritten(off, 1); ram[off] = v; }

    /** Called after RAM was written other than through this class (a hart's atomic operations): drops stale code. */
    public void ramWritten(int off, int size) { if (codePage[off >>> 12] || codePage[(off + size - 1) >>> 12]) codeWritten(off, size); }

    /** Marks a RAM page as holding cached decoded instructions; a later write to it calls the listener. */
    public void markCode(int ramOffset) { codePage[ramOffset >>> 12] = true; }

    /** The listener receives the RAM page number (offset >>> 12) whose cached code became stale. */
    public void onCodeWrite(java.util.function.IntConsumer listener) { codeWriteListeners.add(listener); }

    private void codeWritten(int off, int size) {
        int first = off >>> 12, last = (off + size - 1) >>> 12;
        for (int p = first; p <= last; p++) {
            if (codePage[p]) { codePage[p] = false; for (var l : codeWriteListeners) l.accept(p); }
        }
    }

    /** Copies bytes into RAM (loading images, DMA); invalidates cached code. */
    public void load(long pa, byte[] data, int from, int len) {
        if (!isRam(pa, Math.max(len, 1))) throw new IllegalArgumentException("0x" + Long.toHexString(pa) + "+" + len + " is outside RAM");
        int o = (int) (pa - ramBase);
        System.arraycopy(data, from, ram, o, len);
        for (int p = o >>> 12; p <= (o + Math.max(len, 1) - 1) >>> 12; p++) {
            if (codePage[p]) { codeWritten(p << 12, 1); }
        }
    }

    public void copyOut(long pa, byte[] dst, int from, int len) {
        if (!isRam(pa, Math.max(len, 1))) throw new IllegalArgumentException("0x" + Long.toHexString(pa) + "+" + len + " is outside RAM");
        System.arraycopy(ram, (int) (pa - ramBase), dst, from, len);
    }
}
