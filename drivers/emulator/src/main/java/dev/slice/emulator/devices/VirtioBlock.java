package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;
import dev.slice.emulator.memory.PhysicalMemory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A virtio-mmio (version 2) block device backed by a file: a raw image, or a copy-on-write overlay over a
 * template image ({@link BlockStore#open} tells them apart by the overlay's header). Requests are served synchronously when the
 * driver notifies the queue; the used ring is updated and the interrupt raised before the notify returns.
 */
public final class VirtioBlock implements Device {
    public static final long BASE = 0x10001000, SIZE = 0x1000;
    public static final int IRQ = 1;
    private static final int QUEUE_SIZE = 256;
    private static final long FEATURE_VERSION_1 = 1L << 32;
    private static final long FEATURE_FLUSH = 1L << 9;
    private static final long FEATURE_RO = 1L << 5;

    private final PhysicalMemory mem;
    private final BlockStore disk;
    private final boolean readOnly;
    private final long sectors;
    private final InterruptSink irq;
    private int deviceFeaturesSel, driverFeaturesSel, status, interruptStatus;
    private long driverFeatures;
    private int queueNum = QUEUE_SIZE;
    private boolean queueReady;
    private long descAddr, availAddr, usedAddr;
    private int lastAvail;
    private byte[] buffer = new byte[64 * 1024];

    public VirtioBlock(PhysicalMemory mem, Path image, boolean readOnly, InterruptSink irq) {
        this.mem = mem;
        this.readOnly = readOnly;
        this.irq = irq;
        try {
            this.disk = BlockStore.open(image, readOnly);
            this.sectors = disk.size() / 512;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open disk image " + image, e);
        }
    }

    private long deviceFeatures() { return FEATURE_VERSION_1 | FEATURE_FLUSH | (readOnly ? FEATURE_RO : 0); }

    @Override
    public long read(long offset, int size) {
        if (offset >= 0x100) { // config space: capacity (u64) then the rest of virtio_blk_config, zeros
            long off = offset - 0x100;
            if (off < 8) {
                long v = sectors >>> (8 * off);
                return size == 8 ? v : v & ((1L << (8 * size)) - 1);
            }
            return 0;
        }
        return switch ((int) offset) {
            case 0x000 -> 0x74726976L; // "virt"
            case 0x004 -> 2; // version
            case 0x008 -> 2; // block device
            case 0x00c -> 0x4543494cL; // vendor "LICE"
            case 0x010 -> (deviceFeatures() >>> (32 * deviceFeaturesSel)) & 0xffffffffL;
            case 0x034 -> QUEUE_SIZE;
            case 0x044 -> queueReady ? 1 : 0;
            case 0x060 -> interruptStatus;
            case 0x070 -> status;
            case 0x0fc -> 0; // config generation
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        int v = (int) value;
        switch ((int) offset) {
            case 0x014 -> deviceFeaturesSel = v & 1;
            case 0x020 -> {
                long mask = 0xffffffffL << (32 * driverFeaturesSel);
                driverFeatures = (driverFeatures & ~mask) | (((long) v & 0xffffffffL) << (32 * driverFeaturesSel));
            }
            case 0x024 -> driverFeaturesSel = v & 1;
            case 0x030 -> { } // one queue: QueueSel is always 0
            case 0x038 -> queueNum = v;
            case 0x044 -> queueReady = v == 1;
            case 0x050 -> processQueue();
            case 0x064 -> { interruptStatus &= ~v; irq.set(interruptStatus != 0); }
            case 0x070 -> { status = v; if (v == 0) reset(); }
            case 0x080 -> descAddr = (descAddr & ~0xffffffffL) | (v & 0xffffffffL);
            case 0x084 -> descAddr = (descAddr & 0xffffffffL) | ((long) v << 32);
            case 0x090 -> availAddr = (availAddr & ~0xffffffffL) | (v & 0xffffffffL);
            case 0x094 -> availAddr = (availAddr & 0xffffffffL) | ((long) v << 32);
            case 0x0a0 -> usedAddr = (usedAddr & ~0xffffffffL) | (v & 0xffffffffL);
            case 0x0a4 -> usedAddr = (usedAddr & 0xffffffffL) | ((long) v << 32);
            default -> { }
        }
    }

    /**
     * The transport's registers and the queue's position, for a machine snapshot. The disk itself is the file, already
     * written through (every request is served before its notify returns); its size must be the same on restore.
     */
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeLong(sectors);
        for (int r : new int[] {deviceFeaturesSel, driverFeaturesSel, status, interruptStatus, queueNum, lastAvail}) out.writeInt(r);
        out.writeLong(driverFeatures);
        out.writeBoolean(queueReady);
        out.writeLong(descAddr);
        out.writeLong(availAddr);
        out.writeLong(usedAddr);
    }

    public synchronized void restoreState(DataInput in) throws IOException {
        long saved = in.readLong();
        if (saved != sectors) {
            throw new IOException("the disk had " + saved + " sectors when the machine was suspended and has " + sectors + " now");
        }
        deviceFeaturesSel = in.readInt();
        driverFeaturesSel = in.readInt();
        status = in.readInt();
        interruptStatus = in.readInt();
        queueNum = in.readInt();
        lastAvail = in.readInt();
        driverFeatures = in.readLong();
        queueReady = in.readBoolean();
        descAddr = in.readLong();
        availAddr = in.readLong();
        usedAddr = in.readLong();
        irq.set(interruptStatus != 0);
    }

    private void reset() {
        queueReady = false;
        lastAvail = 0;
        interruptStatus = 0;
        driverFeatures = 0;
        descAddr = availAddr = usedAddr = 0;
        queueNum = QUEUE_SIZE;
        irq.set(false);
    }

    private void processQueue() {
        if (!queueReady || (status & 4) == 0) return;
        int availIdx = (int) mem.read(availAddr + 2, 2);
        boolean any = false;
        while ((lastAvail & 0xffff) != availIdx) {
            int head = (int) mem.read(availAddr + 4 + 2L * (lastAvail % queueNum), 2);
            int written = serve(head);
            int usedIdx = (int) mem.read(usedAddr + 2, 2);
            long elem = usedAddr + 4 + 8L * (usedIdx % queueNum);
            mem.write(elem, 4, head);
            mem.write(elem + 4, 4, written);
            mem.write(usedAddr + 2, 2, (usedIdx + 1) & 0xffff);
            lastAvail++;
            any = true;
        }
        if (any) {
            interruptStatus |= 1;
            irq.set(true);
        }
    }

    /** Serves one request chain; returns the number of bytes written into guest buffers. */
    private int serve(int head) {
        long[] addr = new long[16];
        int[] len = new int[16];
        boolean[] deviceWrites = new boolean[16];
        int n = 0;
        int d = head;
        while (n < 16) {
            long desc = descAddr + 16L * d;
            addr[n] = mem.read(desc, 8);
            len[n] = (int) mem.read(desc + 8, 4);
            int flags = (int) mem.read(desc + 12, 2);
            deviceWrites[n] = (flags & 2) != 0;
            n++;
            if ((flags & 1) == 0) break;
            d = (int) mem.read(desc + 14, 2);
        }
        if (n < 2) return 0;
        int type = (int) mem.read(addr[0], 4);
        long sector = mem.read(addr[0] + 8, 8);
        long statusAddr = addr[n - 1];
        int st = 0;
        int written = 1;
        try {
            long pos = sector * 512;
            for (int k = 1; k < n - 1; k++) {
                int l = len[k];
                if (buffer.length < l) buffer = new byte[l];
                switch (type) {
                    case 0 -> { // read
                        if (pos + l > sectors * 512) { st = 1; break; }
                        disk.read(pos, buffer, 0, l);
                        mem.load(addr[k], buffer, 0, l);
                        written += l;
                    }
                    case 1 -> { // write
                        if (readOnly) { st = 1; break; }
                        if (pos + l > sectors * 512) { st = 1; break; }
                        mem.copyOut(addr[k], buffer, 0, l);
                        disk.write(pos, buffer, 0, l);
                    }
                    case 8 -> { // get id
                        byte[] id = "slice-virtio-blk".getBytes();
                        mem.load(addr[k], id, 0, Math.min(id.length, l));
                        written += Math.min(id.length, l);
                    }
                    default -> { }
                }
                pos += l;
            }
            if (type == 4) disk.flush();
            else if (type != 0 && type != 1 && type != 8) st = 2; // unsupported
        } catch (IOException e) {
            st = 1;
        }
        mem.write(statusAddr, 1, st);
        return written;
    }

    public void close() throws IOException { disk.close(); }
}
