package dev.slice.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slice.emulator.console.BufferSerial;
import dev.slice.emulator.net.PacketBackend;
import dev.slice.emulator.net.PacketPair;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guest kernel's own virtio_net driver on the network card, with no host network at all: the card's wire is a
 * {@link PacketPair} whose other end is a tiny host written here (10.0.2.2) that answers ARP and ICMP echo. The
 * kernel configures eth0 from {@code ip=}; busybox's ping gets its replies; the guest answers the host's ARP.
 */
class LinuxNetworkTest {
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final byte[] GUEST_MAC = {0x52, 0x54, 0x00, 0x0a, 0x0b, 0x0c};
    private static final byte[] HOST_MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    private static final byte[] HOST_IP = {10, 0, 2, 2}, GUEST_IP = {10, 0, 2, 15};

    @Test
    void theGuestPingsAHostAtTheOtherEndOfTheCableAndAnswersItsArp() throws Exception {
        PacketPair cable = new PacketPair();
        PacketBackend host = cable.b();
        List<byte[]> fromGuest = new CopyOnWriteArrayList<>();
        host.start(frame -> {
            fromGuest.add(frame);
            byte[] reply = answer(frame);
            if (reply != null) host.send(reply, 0, reply.length);
        });
        BufferSerial console = new BufferSerial();
        Machine m = new Machine(new Machine.Config(128L << 20, Files.readAllBytes(GuestFiles.require("kernel/Image")),
                Files.readAllBytes(GuestFiles.require("initramfs.cpio")), null,
                "console=ttyS0 ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off", Machine.Firmware.JAVA_SBI, console),
                new Machine.Nic(GUEST_MAC, cable.a()));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Integer> exit = thread.submit(() -> m.run());
        try {
            int pos = await(console, "slice# ", 0);
            console.type("cat /sys/class/net/eth0/address; ping -c 3 10.0.2.2; echo @@$((40+2))@@\n");
            int end = await(console, "@@42@@", pos);
            String out = console.output().substring(pos, end);
            assertThat(out).contains("52:54:00:0a:0b:0c").contains("3 packets received");

            host.send(arpRequest(), 0, 42);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (fromGuest.stream().noneMatch(LinuxNetworkTest::isArpReplyFromGuest) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(fromGuest).as("the guest's ARP reply").anyMatch(LinuxNetworkTest::isArpReplyFromGuest);
            long[] c = m.networkCounters();
            assertThat(c[0]).as("frames received").isGreaterThanOrEqualTo(4);
            assertThat(c[2]).as("frames sent").isGreaterThanOrEqualTo(5);
            console.type("poweroff -f\n");
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        } finally {
            m.stop(1);
            thread.shutdown();
            m.close();
        }
    }

    private static int await(BufferSerial console, String text, int from) throws InterruptedException {
        int i = console.awaitOutput(text, from, BOOT);
        assertThat(i).as("console output to contain %s; got:%n%s", text, console.output()).isPositive();
        return i;
    }

    /** The host's answer to an ARP request for its address or an ICMP echo request to it; null otherwise. */
    private static byte[] answer(byte[] f) {
        if (f.length >= 42 && type(f) == 0x0806 && f[21] == 1 && Arrays.equals(f, 38, 42, HOST_IP, 0, 4)) {
            byte[] r = f.clone();
            System.arraycopy(f, 6, r, 0, 6);
            System.arraycopy(HOST_MAC, 0, r, 6, 6);
            r[21] = 2;
            System.arraycopy(HOST_MAC, 0, r, 22, 6);
            System.arraycopy(HOST_IP, 0, r, 28, 4);
            System.arraycopy(f, 22, r, 32, 10); // the asker's MAC and IP become the target
            return r;
        }
        int ihl = f.length > 14 ? (f[14] & 0x0f) * 4 : 0;
        if (f.length >= 14 + ihl + 8 && type(f) == 0x0800 && f[23] == 1 && Arrays.equals(f, 30, 34, HOST_IP, 0, 4)
                && f[14 + ihl] == 8) {
            byte[] r = f.clone();
            System.arraycopy(f, 6, r, 0, 6);
            System.arraycopy(HOST_MAC, 0, r, 6, 6);
            System.arraycopy(f, 30, r, 26, 4);
            System.arraycopy(f, 26, r, 30, 4); // swapped addresses keep the IP header's checksum
            int icmp = 14 + ihl, length = ((f[16] & 0xff) << 8 | (f[17] & 0xff)) - ihl;
            r[icmp] = 0;
            r[icmp + 2] = r[icmp + 3] = 0;
            int sum = checksum(r, icmp, length);
            r[icmp + 2] = (byte) (sum >> 8);
            r[icmp + 3] = (byte) sum;
            return r;
        }
        return null;
    }

    private static byte[] arpRequest() {
        byte[] r = new byte[42];
        Arrays.fill(r, 0, 6, (byte) 0xff);
        System.arraycopy(HOST_MAC, 0, r, 6, 6);
        r[12] = 0x08; r[13] = 0x06; r[15] = 1; r[16] = 0x08; r[18] = 6; r[19] = 4; r[21] = 1;
        System.arraycopy(HOST_MAC, 0, r, 22, 6);
        System.arraycopy(HOST_IP, 0, r, 28, 4);
        System.arraycopy(GUEST_IP, 0, r, 38, 4);
        return r;
    }

    private static boolean isArpReplyFromGuest(byte[] f) {
        return f.length >= 42 && type(f) == 0x0806 && f[21] == 2 && Arrays.equals(f, 22, 28, GUEST_MAC, 0, 6)
                && Arrays.equals(f, 28, 32, GUEST_IP, 0, 4);
    }

    private static int type(byte[] f) { return (f[12] & 0xff) << 8 | (f[13] & 0xff); }

    private static int checksum(byte[] b, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) sum += (b[from + i] & 0xff) << 8 | (b[from + i + 1] & 0xff);
        if ((length & 1) != 0) sum += (b[from + length - 1] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }
}
