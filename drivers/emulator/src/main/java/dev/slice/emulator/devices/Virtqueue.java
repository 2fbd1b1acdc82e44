package dev.slice.emulator.devices;

import dev.slice.emulator.memory.PhysicalMemory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.VarHandle;

/**
 * One split virtqueue (virtio 1.x, section 2.7) as a virtio-mmio device sees it: the driver's descriptor table,
 * available ring and used ring in guest RAM. No indirect descriptors and no event index (neither is offered), so a
 * chain is a plain linked list of descriptors and interrupt suppression is the available ring's NO_INTERRUPT flag.
 * A chain that points outside RAM, loops or is longer than the queue is treated as empty rather than trusted.
 */
final class Virtqueue {
    private static final int DESC_F_NEXT = 1, DESC_F_WRITE = 2;
    private static final int AVAIL_F_NO_INTERRUPT = 1;

    private final PhysicalMemory mem;
    final int max;
    int num;
    boolean ready;
    long desc, avail, used;
    private int lastAvail;

    Virtqueue(PhysicalMemory mem, int max) {
        this.mem = mem;
        this.max = max;
        this.num = max;
    }

    void reset() {
        num = max;
        ready = false;
        desc = avail = used = 0;
        lastAvail = 0;
    }

    void saveState(DataOutput out) throws IOException {
        out.writeInt(num);
        out.writeBoolean(ready);
        out.writeLong(desc);
        out.writeLong(avail);
        out.writeLong(used);
        out.writeInt(lastAvail);
    }

    void restoreState(DataInput in) throws IOException {
        num = in.readInt();
        ready = in.readBoolean();
        desc = in.readLong();
        avail = in.readLong();
        used = in.readLong();
        lastAvail = in.readInt();
    }

    /** A descriptor chain: guest-physical buffers, each readable by the device or (write) writable by it. */
    static final class Chain {
        final long[] addr;
        final int[] len;
        final boolean[] write;
        int count;
        int head;

        Chain(int capacity) {
            addr = new long[capacity];
            len = new int[capacity];
            write = new boolean[capacity];
        }

        long writableBytes() {
            long n = 0;
            for (int i = 0; i < count; i++) if (write[i]) n += len[i];
            return n;
        }

        long readableBytes() {
            long n = 0;
            for (int i = 0; i < count; i++) if (!write[i]) n += len[i];
            return n;
        }
    }

    private boolean usable() {
        return ready && num > 0 && num <= max && (num & (num - 1)) == 0
                && mem.isRam(desc, 16 * num) && mem.isRam(avail, 6 + 2 * num) && mem.isRam(used, 6 + 8 * num);
    }

    /**
     * Reads the next available chain into {@code into} without consuming it ({@link #consume} does); false when the
     * driver has made none available. A malformed chain comes back with {@code count} 0.
     */
    boolean peek(Chain into) {
        if (!usable()) return false;
        int availIdx = (int) mem.read(avail + 2, 2);
        if ((lastAvail & 0xffff) == availIdx) return false;
        VarHandle.acquireFence(); // the ring entry and descriptors were written before the index
        int head = (int) mem.read(avail + 4 + 2L * (lastAvail % num), 2);
        into.head = head;
        into.count = 0;
        int d = head;
        for (int n = 0; n < num && n < into.addr.length; n++) {
            if (d >= num) { into.count = 0; return true; }
            long at = desc + 16L * d;
            long addr = mem.read(at, 8);
            int len = (int) mem.read(at + 8, 4);
            int flags = (int) mem.read(at + 12, 2);
            if (len < 0 || (len > 0 && !mem.isRam(addr, len))) { into.count = 0; return true; }
            into.addr[into.count] = addr;
            into.len[into.count] = len;
            into.write[into.count] = (flags & DESC_F_WRITE) != 0;
            into.count++;
            if ((flags & DESC_F_NEXT) == 0) return true;
            d = (int) mem.read(at + 14, 2);
        }
        into.count = 0; // longer than the queue: a loop
        return true;
    }

    /** Gives the chain last peeked back to the driver with {@code written} bytes written into its buffers. */
    void consume(int head, int written) {
        int usedIdx = (int) mem.read(used + 2, 2);
        long elem = used + 4 + 8L * (usedIdx % num);
        mem.write(elem, 4, head);
        mem.write(elem + 4, 4, written);
        VarHandle.releaseFence(); // the element before the index that publishes it
        mem.write(used + 2, 2, (usedIdx + 1) & 0xffff);
        lastAvail++;
    }

    /** Whether the driver wants an interrupt for used buffers now (read after the used index was published). */
    boolean interruptWanted() {
        VarHandle.fullFence();
        return (mem.read(avail, 2) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    void setDescLow(int v) { desc = (desc & ~0xffffffffL) | (v & 0xffffffffL); }
    void setDescHigh(int v) { desc = (desc & 0xffffffffL) | ((long) v << 32); }
    void setAvailLow(int v) { avail = (avail & ~0xffffffffL) | (v & 0xffffffffL); }
    void setAvailHigh(int v) { avail = (avail & 0xffffffffL) | ((long) v << 32); }
    void setUsedLow(int v) { used = (used & ~0xffffffffL) | (v & 0xffffffffL); }
    void setUsedHigh(int v) { used = (used & 0xffffffffL) | ((long) v << 32); }
}
