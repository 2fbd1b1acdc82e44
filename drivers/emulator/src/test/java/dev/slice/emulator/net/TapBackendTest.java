package dev.slice.emulator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TAP backend against a real persistent TAP this test makes (10.97.255.1/30 on the host end, nothing else on
 * it): the host's ARP request for the other address reaches the receiver; a frame sent appears in the TAP's
 * counters; close ends the reader and lets the TAP be opened again.
 */
class TapBackendTest {
    private static final String TAP = "emutaptest0";

    private static void sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", argv) + ": " + out);
    }

    private static long counter(String name) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/class/net", TAP, "statistics", name)).strip());
    }

    @BeforeEach
    void makeTap() throws Exception {
        if (Files.exists(Path.of("/sys/class/net", TAP))) sh("ip", "link", "del", "dev", TAP);
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        sh("ip", "tuntap", "add", "dev", TAP, "mode", "tap", "user", Long.toString(uid));
        sh("ip", "addr", "add", "10.97.255.1/30", "dev", TAP);
        sh("ip", "link", "set", "dev", TAP, "up");
    }

    @AfterEach
    void removeTap() throws Exception {
        sh("ip", "link", "del", "dev", TAP);
    }

    @Test
    void framesCrossTheTapBothWaysAndCloseEndsTheReader() throws Exception {
        List<byte[]> received = new CopyOnWriteArrayList<>();
        TapBackend tap = TapBackend.open(TAP);
        tap.start(received::add);
        Process ping = new ProcessBuilder("ping", "-c", "2", "-W", "1", "10.97.255.2").start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received.stream().noneMatch(TapBackendTest::isArp) && System.nanoTime() < deadline) Thread.sleep(50);
        ping.destroy();
        assertThat(received).as("the host's ARP request for 10.97.255.2").anyMatch(TapBackendTest::isArp);

        long before = counter("rx_packets");
        byte[] frame = new byte[60];
        for (int i = 0; i < 6; i++) frame[i] = (byte) 0xff;
        byte[] mac = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
        System.arraycopy(mac, 0, frame, 6, 6);
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5; // local experimental EtherType
        tap.send(frame, 0, frame.length);
        assertThat(counter("rx_packets")).as("the host received the frame").isEqualTo(before + 1);

        long closing = System.nanoTime();
        tap.close();
        assertThat((System.nanoTime() - closing) / 1_000_000).as("ms to close").isLessThan(5_000);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tap-" + TAP));
        TapBackend again = TapBackend.open(TAP);
        again.close();
    }

    @Test
    void aMissingTapIsRefusedNamingIt() {
        assertThatThrownBy(() -> TapBackend.open("emutapnone0")).isInstanceOf(IOException.class)
                .hasMessageContaining("emutapnone0");
    }

    private static boolean isArp(byte[] f) {
        return f.length >= 14 && (f[12] & 0xff) == 0x08 && (f[13] & 0xff) == 0x06;
    }
}
