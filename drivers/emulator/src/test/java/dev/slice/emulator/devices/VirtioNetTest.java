package dev.slice.emulator.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.net.PacketBackend;
import dev.slice.emulator.net.PacketPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network card driven the way Linux's virtio_net driver drives it, by a small driver written here against
 * guest RAM: feature negotiation, the config space, and frames both ways through the split rings, with the other
 * end of an in-memory {@link PacketPair} as the wire.
 */
class VirtioNetTest {
    private static final long RAM = 0x80000000L;
    private static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    private static final int NUM = 8;

    private final PhysicalMemory mem = new PhysicalMemory(RAM, 1 << 20);
    private final PacketPair wire = new PacketPair();
    private final List<byte[]> hostReceived = new CopyOnWriteArrayList<>();
    private boolean irq;
    private VirtioNet card;
    private final Ring rx = new Ring(0, RAM + 0x1000), tx = new Ring(1, RAM + 0x4000);

    /** One queue's rings in RAM, as the driver keeps them. */
    private final class Ring {
        final int index;
        final long desc, avail, used;
        int nextDesc, availIdx, usedSeen;

        Ring(int index, long at) {
            this.index = index;
            this.desc = at;
            this.avail = at + 0x1000;
            this.used = at + 0x2000;
        }

        void setUp() {
            card.write(0x030, 4, index);
            assertThat(card.read(0x034, 4)).isEqualTo(256);
            card.write(0x038, 4, NUM);
            card.write(0x080, 4, desc);
            card.write(0x084, 4, desc >>> 32);
            card.write(0x090, 4, avail);
            card.write(0x094, 4, avail >>> 32);
            card.write(0x0a0, 4, used);
            card.write(0x0a4, 4, used >>> 32);
            card.write(0x044, 4, 1);
        }

        /** Makes a chain of buffers (address, length, device-writable) available; returns its head. */
        int offer(long[][] buffers) {
            int head = nextDesc % NUM;
            for (int i = 0; i < buffers.length; i++) {
                int d = (nextDesc + i) % NUM;
                long at = desc + 16L * d;
                mem.write(at, 8, buffers[i][0]);
                mem.write(at + 8, 4, buffers[i][1]);
                int flags = (buffers[i][2] != 0 ? 2 : 0) | (i + 1 < buffers.length ? 1 : 0);
                mem.write(at + 12, 2, flags);
                mem.write(at + 14, 2, (nextDesc + i + 1) % NUM);
            }
            nextDesc += buffers.length;
            mem.write(avail + 4 + 2L * (availIdx % NUM), 2, head);
            availIdx++;
            mem.write(avail + 2, 2, availIdx);
            return head;
        }

        int usedIdx() { return (int) mem.read(used + 2, 2); }

        /** The next used element: {head, length}. */
        long[] takeUsed() {
            assertThat(usedIdx()).as("used index of queue " + index).isGreaterThan(usedSeen);
            long elem = used + 4 + 8L * (usedSeen % NUM);
            usedSeen++;
            return new long[] {mem.read(elem, 4), mem.read(elem + 4, 4)};
        }

        void suppressInterrupts(boolean off) { mem.write(avail, 2, off ? 1 : 0); }
    }

    @BeforeEach
    void plugIn() {
        wire.b().start(hostReceived::add);
        card = new VirtioNet(mem, MAC, wire.a(), level -> irq = level);
    }

    @AfterEach
    void unplug() { card.close(); }

    /** Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK: what virtio_mmio and virtio_net do. */
    private void bringUp() {
        card.write(0x070, 4, 0);
        card.write(0x070, 4, 1 | 2);
        card.write(0x024, 4, 0);
        card.write(0x020, 4, (int) (VirtioNet.F_MAC | VirtioNet.F_STATUS));
        card.write(0x024, 4, 1);
        card.write(0x020, 4, 1); // VERSION_1
        card.write(0x070, 4, 1 | 2 | 8);
        assertThat(card.read(0x070, 4) & 8).as("FEATURES_OK accepted").isEqualTo(8);
        rx.setUp();
        tx.setUp();
        card.write(0x070, 4, 1 | 2 | 8 | 4);
    }

    private void acknowledge() {
        card.write(0x064, 4, card.read(0x060, 4));
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i * 7);
        return f;
    }

    @Test
    void identifiesItselfAsAVersion2NetworkCardOfferingMacStatusAndVersion1Only() {
        assertThat(card.read(0x000, 4)).isEqualTo(0x74726976L);
        assertThat(card.read(0x004, 4)).isEqualTo(2);
        assertThat(card.read(0x008, 4)).isEqualTo(1);
        card.write(0x014, 4, 0);
        assertThat(card.read(0x010, 4)).isEqualTo((1L << 5) | (1L << 16));
        card.write(0x014, 4, 1);
        assertThat(card.read(0x010, 4)).isEqualTo(1);
        card.write(0x030, 4, 2);
        assertThat(card.read(0x034, 4)).as("no control queue").isZero();
    }

    @Test
    void configSpaceHoldsTheMacAndLinkUpInAnyAccessWidth() {
        for (int i = 0; i < 6; i++) assertThat(card.read(0x100 + i, 1)).isEqualTo(MAC[i] & 0xff);
        assertThat(card.read(0x100, 4)).isEqualTo(0x12005452L);
        assertThat(card.read(0x104, 2)).isEqualTo(0x5634);
        assertThat(card.read(0x106, 2)).as("VIRTIO_NET_S_LINK_UP").isEqualTo(1);
    }

    @Test
    void refusesFeaturesOkForALegacyDriverOrAnUnofferedFeature() {
        card.write(0x070, 4, 3);
        card.write(0x024, 4, 0);
        card.write(0x020, 4, 1 << 5);
        card.write(0x070, 4, 3 | 8);
        assertThat(card.read(0x070, 4) & 8).as("no VERSION_1").isZero();
        card.write(0x020, 4, (1 << 5) | (1 << 15)); // MRG_RXBUF, not offered
        card.write(0x024, 4, 1);
        card.write(0x020, 4, 1);
        card.write(0x070, 4, 3 | 8);
        assertThat(card.read(0x070, 4) & 8).as("an unoffered feature").isZero();
    }

    @Test
    void transmitsTheFrameBehindTheHeaderAcrossAChainAndRaisesTheInterrupt() {
        bringUp();
        byte[] f = frame(60, 3);
        mem.load(RAM + 0x10000, new byte[12], 0, 12);
        mem.load(RAM + 0x10100, f, 0, 20);
        mem.load(RAM + 0x10200, f, 20, 40);
        int head = tx.offer(new long[][] {{RAM + 0x10000, 12, 0}, {RAM + 0x10100, 20, 0}, {RAM + 0x10200, 40, 0}});
        card.write(0x050, 4, 1);

        assertThat(hostReceived).hasSize(1);
        assertThat(hostReceived.get(0)).isEqualTo(f);
        assertThat(tx.takeUsed()).containsExactly(head, 0);
        assertThat(irq).isTrue();
        assertThat(card.read(0x060, 4)).isEqualTo(1);
        acknowledge();
        assertThat(irq).isFalse();
        assertThat(card.counters()).containsExactly(0, 0, 1, 60, 0);
    }

    @Test
    void receivesFramesThatArrivedBeforeBuffersWhenTheDriverAddsThem() {
        bringUp();
        byte[] first = frame(98, 1), second = frame(1514, 9);
        wire.b().send(first, 0, first.length);
        card.poll();
        assertThat(rx.usedIdx()).as("no buffer yet").isZero();

        rx.offer(new long[][] {{RAM + 0x20000, 12 + 1518, 1}});
        rx.offer(new long[][] {{RAM + 0x21000, 12, 1}, {RAM + 0x22000, 1518, 1}});
        card.write(0x050, 4, 0);
        long[] used = rx.takeUsed();
        assertThat(used[1]).isEqualTo(12 + 98);
        assertThat(mem.read(RAM + 0x20000 + 10, 2)).as("num_buffers").isEqualTo(1);
        byte[] got = new byte[98];
        mem.copyOut(RAM + 0x20000 + 12, got, 0, 98);
        assertThat(got).isEqualTo(first);
        assertThat(irq).isTrue();
        acknowledge();

        wire.b().send(second, 0, second.length);
        card.poll(); // the machine's thread, between batches
        assertThat(rx.takeUsed()[1]).isEqualTo(12 + 1514);
        byte[] got2 = new byte[1514];
        mem.copyOut(RAM + 0x22000, got2, 0, 1514);
        assertThat(got2).isEqualTo(second);
        assertThat(card.counters()).containsExactly(2, 98 + 1514, 0, 0, 0);
    }

    @Test
    void dropsAFrameLargerThanTheBufferAndKeepsTheBufferForTheNext() {
        bringUp();
        rx.offer(new long[][] {{RAM + 0x20000, 12 + 100, 1}});
        card.write(0x050, 4, 0);
        byte[] big = frame(200, 2), small = frame(64, 5);
        wire.b().send(big, 0, big.length);
        wire.b().send(small, 0, small.length);
        card.poll();
        assertThat(rx.takeUsed()[1]).isEqualTo(12 + 64);
        assertThat(rx.usedIdx()).isEqualTo(1);
        assertThat(card.counters()[4]).as("dropped").isEqualTo(1);
    }

    @Test
    void raisesNoInterruptWhileTheDriverSuppressesThem() {
        bringUp();
        tx.suppressInterrupts(true);
        mem.load(RAM + 0x10000, new byte[12 + 60], 0, 72);
        tx.offer(new long[][] {{RAM + 0x10000, 72, 0}});
        card.write(0x050, 4, 1);
        assertThat(tx.usedIdx()).isEqualTo(1);
        assertThat(irq).isFalse();
        assertThat(hostReceived).hasSize(1);
    }

    @Test
    void dropsFramesUntilTheDriverIsReadyAndForgetsEverythingOnReset() {
        byte[] f = frame(60, 4);
        wire.b().send(f, 0, f.length);
        bringUp();
        rx.offer(new long[][] {{RAM + 0x20000, 12 + 1518, 1}});
        card.write(0x050, 4, 0);
        assertThat(rx.usedIdx()).as("the frame from before DRIVER_OK is gone").isZero();

        card.write(0x070, 4, 0);
        assertThat(card.read(0x070, 4)).isZero();
        card.write(0x030, 4, 0);
        assertThat(card.read(0x044, 4)).as("queue ready after reset").isZero();
        wire.b().send(f, 0, f.length);
        card.poll();
        assertThat(rx.usedIdx()).isZero();
    }

    @Test
    void aChainPointingOutsideRamIsReturnedEmptyAndSendsNothing() {
        bringUp();
        int head = tx.offer(new long[][] {{0x1000, 72, 0}});
        card.write(0x050, 4, 1);
        assertThat(tx.takeUsed()).containsExactly(head, 0);
        assertThat(hostReceived).isEmpty();
    }

    @Test
    void macAddressesAreParsedStrictly() {
        assertThat(VirtioNet.parseMac("52:54:00:ab:cd:ef")).containsExactly(0x52, 0x54, 0, 0xab, 0xcd, 0xef);
        assertThatThrownBy(() -> VirtioNet.parseMac("52:54:00:ab:cd")).hasMessageContaining("six hex bytes");
        assertThatThrownBy(() -> VirtioNet.parseMac("01:00:5e:00:00:01")).hasMessageContaining("multicast");
    }

    @Test
    void aPairCarriesFramesBothWays() {
        PacketPair pair = new PacketPair();
        List<byte[]> atA = new CopyOnWriteArrayList<>(), atB = new CopyOnWriteArrayList<>();
        PacketBackend a = pair.a(), b = pair.b();
        a.send(new byte[] {1, 2, 3}, 1, 2);
        b.start(atB::add);
        a.start(atA::add);
        b.send(new byte[] {9}, 0, 1);
        assertThat(atB).singleElement().isEqualTo(new byte[] {2, 3});
        assertThat(atA).singleElement().isEqualTo(new byte[] {9});
    }
}
