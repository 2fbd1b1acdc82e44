package dev.slice.emulator.devices;

import dev.slice.emulator.memory.Device;
import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.net.PacketBackend;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A virtio-mmio (version 2) network card: queue 0 receives, queue 1 transmits, the MAC address in its config
 * space. It offers only VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS (the link is always up) and VIRTIO_F_VERSION_1: no
 * checksum offload, no segmentation, no mergeable buffers, so every frame is a whole Ethernet frame with its
 * checksums done by the guest, behind the 12-byte header version 1 prescribes.
 * <p>
 * Transmit is synchronous: the driver's notify sends the frames to the {@link PacketBackend} before it returns.
 * Receive crosses threads: the backend's thread queues frames here ({@link #receive}, at most {@value #INBOX}
 * waiting; beyond that they are dropped as a full card would) and the machine's thread moves them into the
 * guest's buffers when it calls {@link #poll} between batches of instructions, or when the driver adds buffers.
 * The machine serialises all of that on this object, as it does every device access.
 */
public final class VirtioNet implements Device {
    public static final long BASE = 0x10002000, SIZE = 0x1000;
    public static final int IRQ = 2;
    static final long F_MAC = 1L << 5, F_STATUS = 1L << 16, F_VERSION_1 = 1L << 32;
    static final long FEATURES = F_MAC | F_STATUS | F_VERSION_1;
    /** struct virtio_net_hdr_mrg_rxbuf: the header size once VERSION_1 is negotiated. */
    static final int HEADER = 12;
    private static final int QUEUE_SIZE = 256, RX = 0, TX = 1;
    private static final int STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8;
    private static final int INBOX = 256;
    /** The longest frame the card takes from the guest: 64 KiB covers any MTU the driver could set. */
    private static final int MAX_FRAME = 65_536;

    private final PhysicalMemory mem;
    private final byte[] mac;
    private final PacketBackend backend;
    private final InterruptSink irq;
    private final Virtqueue[] queues;
    private final Virtqueue.Chain chain = new Virtqueue.Chain(QUEUE_SIZE);
    private final ArrayBlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(INBOX);
    private final byte[] frame = new byte[MAX_FRAME + HEADER];
    private volatile Runnable wake = () -> { };
    private int deviceFeaturesSel, driverFeaturesSel, queueSel, status, interruptStatus;
    private long driverFeatures;
    private long rxPackets, rxBytes, txPackets, txBytes;
    private final AtomicLong rxDropped = new AtomicLong();

    /** {@code mac}: six bytes. The backend is started here and closed by {@link #close}. */
    public VirtioNet(PhysicalMemory mem, byte[] mac, PacketBackend backend, InterruptSink irq) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, got " + mac.length);
        this.mem = mem;
        this.mac = mac.clone();
        this.backend = backend;
        this.irq = irq;
        this.queues = new Virtqueue[] {new Virtqueue(mem, QUEUE_SIZE), new Virtqueue(mem, QUEUE_SIZE)};
        backend.start(this::receive);
    }

    /** Parses {@code 52:54:00:12:34:56}. */
    public static byte[] parseMac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) throw new IllegalArgumentException("MAC address '" + text + "' is not six hex bytes aa:bb:cc:dd:ee:ff");
        byte[] mac = new byte[6];
        try {
            for (int i = 0; i < 6; i++) {
                if (parts[i].length() != 2) throw new NumberFormatException(parts[i]);
                mac[i] = (byte) Integer.parseInt(parts[i], 16);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MAC address '" + text + "' is not six hex bytes aa:bb:cc:dd:ee:ff");
        }
        if ((mac[0] & 1) != 0) throw new IllegalArgumentException("MAC address '" + text + "' is a multicast address");
        return mac;
    }

    /** Called when a frame arrives, so a machine asleep in WFI can deliver it without waiting out its sleep. */
    public void onReceive(Runnable wakeUp) { this.wake = wakeUp; }

    /** From the backend's thread: queues a frame for the guest, or drops it when the card is not running or full. */
    void receive(byte[] f) {
        if (!inbox.offer(f)) { rxDropped.incrementAndGet(); return; }
        wake.run();
    }

    /** Moves queued frames into the guest's receive buffers; the machine calls it between batches. */
    public synchronized void poll() {
        if (!inbox.isEmpty()) deliver();
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset >= 0x100) return config((int) (offset - 0x100), size);
        Virtqueue q = queueSel < queues.length ? queues[queueSel] : null;
        return switch ((int) offset) {
            case 0x000 -> 0x74726976L; // "virt"
            case 0x004 -> 2; // virtio-mmio version 2 (virtio 1.x)
            case 0x008 -> 1; // network card
            case 0x00c -> 0x4543494cL; // vendor "LICE"
            case 0x010 -> (FEATURES >>> (32 * deviceFeaturesSel)) & 0xffffffffL;
            case 0x034 -> q == null ? 0 : q.max;
            case 0x044 -> q != null && q.ready ? 1 : 0;
            case 0x060 -> interruptStatus;
            case 0x070 -> status;
            default -> 0; // config generation 0x0fc: the config never changes
        };
    }

    /** struct virtio_net_config: mac[6], then status (VIRTIO_NET_S_LINK_UP); read in any width at any offset. */
    private long config(int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | configByte(off + i);
        return v;
    }

    private int configByte(int off) {
        if (off < 6) return mac[off] & 0xff;
        if (off == 6) return 1; // link up
        return 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value;
        Virtqueue q = queueSel < queues.length ? queues[queueSel] : null;
        switch ((int) offset) {
            case 0x014 -> deviceFeaturesSel = v & 1;
            case 0x020 -> {
                long mask = 0xffffffffL << (32 * driverFeaturesSel);
                driverFeatures = (driverFeatures & ~mask) | (((long) v & 0xffffffffL) << (32 * driverFeaturesSel));
            }
            case 0x024 -> driverFeaturesSel = v & 1;
            case 0x030 -> queueSel = v;
            case 0x038 -> { if (q != null) q.num = v; }
            case 0x044 -> { if (q != null) q.ready = v == 1; }
            case 0x050 -> notifyQueue(v);
            case 0x064 -> { interruptStatus &= ~v; irq.set(interruptStatus != 0); }
            case 0x070 -> setStatus(v);
            case 0x080 -> { if (q != null) q.setDescLow(v); }
            case 0x084 -> { if (q != null) q.setDescHigh(v); }
            case 0x090 -> { if (q != null) q.setAvailLow(v); }
            case 0x094 -> { if (q != null) q.setAvailHigh(v); }
            case 0x0a0 -> { if (q != null) q.setUsedLow(v); }
            case 0x0a4 -> { if (q != null) q.setUsedHigh(v); }
            default -> { }
        }
    }

    /** FEATURES_OK stays set only for a subset of what is offered that includes VERSION_1 (a legacy driver is refused). */
    private void setStatus(int v) {
        if (v == 0) { reset(); return; }
        if ((v & STATUS_FEATURES_OK) != 0 && ((driverFeatures & ~FEATURES) != 0 || (driverFeatures & F_VERSION_1) == 0)) {
            v &= ~STATUS_FEATURES_OK;
        }
        status = v;
        if (running()) deliver();
    }

    private boolean running() {
        return (status & (STATUS_DRIVER_OK | STATUS_FEATURES_OK)) == (STATUS_DRIVER_OK | STATUS_FEATURES_OK);
    }

    private void reset() {
        status = 0;
        interruptStatus = 0;
        driverFeatures = 0;
        deviceFeaturesSel = driverFeaturesSel = queueSel = 0;
        for (Virtqueue q : queues) q.reset();
        inbox.clear();
        irq.set(false);
    }

    private void notifyQueue(int index) {
        if (!running()) return;
        if (index == TX) transmit();
        else if (index == RX) deliver();
    }

    private void transmit() {
        Virtqueue q = queues[TX];
        boolean any = false;
        while (q.peek(chain)) {
            long length = chain.readableBytes();
            if (chain.count > 0 && length > HEADER && length <= frame.length) {
                int at = 0;
                for (int i = 0; i < chain.count; i++) {
                    if (chain.write[i]) continue;
                    mem.copyOut(chain.addr[i], frame, at, chain.len[i]);
                    at += chain.len[i];
                }
                backend.send(frame, HEADER, at - HEADER);
                txPackets++;
                txBytes += at - HEADER;
            }
            q.consume(chain.head, 0);
            any = true;
        }
        if (any) usedBuffers(q);
    }

    /** Fills the guest's receive buffers with queued frames while both last. */
    private void deliver() {
        if (!running()) { inbox.clear(); return; }
        Virtqueue q = queues[RX];
        boolean any = false;
        byte[] f;
        while ((f = inbox.peek()) != null && q.peek(chain)) {
            inbox.poll();
            if (chain.count == 0 || chain.writableBytes() < HEADER + f.length) {
                rxDropped.incrementAndGet(); // a frame larger than the guest's buffer: dropped, the buffer kept
                if (chain.count == 0) { q.consume(chain.head, 0); any = true; }
                continue;
            }
            java.util.Arrays.fill(frame, 0, HEADER, (byte) 0);
            frame[10] = 1; // num_buffers
            System.arraycopy(f, 0, frame, HEADER, f.length);
            int total = HEADER + f.length, at = 0;
            for (int i = 0; i < chain.count && at < total; i++) {
                if (!chain.write[i]) continue;
                int n = Math.min(chain.len[i], total - at);
                mem.load(chain.addr[i], frame, at, n);
                at += n;
            }
            q.consume(chain.head, total);
            rxPackets++;
            rxBytes += f.length;
            any = true;
        }
        if (any) usedBuffers(q);
    }

    private void usedBuffers(Virtqueue q) {
        if (!q.interruptWanted()) return;
        interruptStatus |= 1;
        irq.set(true);
    }

    /**
     * The transport's registers, both queues' positions and the counters, for a machine snapshot. Frames waiting in
     * the inbox are not kept: they are lost as frames on a wire are while a machine sleeps.
     */
    public synchronized void saveState(DataOutput out) throws IOException {
        out.write(mac);
        for (int r : new int[] {deviceFeaturesSel, driverFeaturesSel, queueSel, status, interruptStatus}) out.writeInt(r);
        out.writeLong(driverFeatures);
        for (long c : new long[] {rxPackets, rxBytes, txPackets, txBytes, rxDropped.get()}) out.writeLong(c);
        for (Virtqueue q : queues) q.saveState(out);
    }

    public synchronized void restoreState(DataInput in) throws IOException {
        byte[] saved = new byte[6];
        in.readFully(saved);
        if (!java.util.Arrays.equals(saved, mac)) throw new IOException("the network card had another MAC address when suspended");
        deviceFeaturesSel = in.readInt();
        driverFeaturesSel = in.readInt();
        queueSel = in.readInt();
        status = in.readInt();
        interruptStatus = in.readInt();
        driverFeatures = in.readLong();
        rxPackets = in.readLong();
        rxBytes = in.readLong();
        txPackets = in.readLong();
        txBytes = in.readLong();
        rxDropped.set(in.readLong());
        for (Virtqueue q : queues) q.restoreState(in);
        irq.set(interruptStatus != 0);
    }

    /** Frames and bytes (Ethernet frames, no header) the guest received and sent, and received frames dropped. */
    public synchronized long[] counters() {
        return new long[] {rxPackets, rxBytes, txPackets, txBytes, rxDropped.get()};
    }

    public void close() { backend.close(); }
}
