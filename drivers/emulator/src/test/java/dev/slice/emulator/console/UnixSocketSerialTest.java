package dev.slice.emulator.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console socket: history for late attachers, several attachers, keystrokes from any of them. */
class UnixSocketSerialTest {
    @TempDir Path dir;

    private static SocketChannel attach(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return channel;
    }

    /** Reads until {@code text} arrived, within a deadline (the socket read itself blocks, so it runs on its own thread). */
    private static String readUntil(SocketChannel channel, String text) throws Exception {
        StringBuilder seen = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            try {
                while (seen.indexOf(text) < 0 && channel.read(buffer.clear()) > 0) {
                    synchronized (seen) { seen.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)); }
                }
            } catch (IOException e) {
                // closed by the deadline below
            }
        });
        reader.join(10_000);
        if (reader.isAlive()) channel.close();
        synchronized (seen) { return seen.toString(); }
    }

    private static void print(UnixSocketSerial serial, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) serial.write(b);
        serial.flush();
    }

    @Test
    void whatTheGuestPrintedBeforeAnyoneAttachedIsReplayedThenLiveOutputFollows() throws Exception {
        Path socket = dir.resolve("console.sock");
        try (UnixSocketSerial serial = new UnixSocketSerial(socket)) {
            assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            print(serial, "boot messages\nslice# ");
            try (SocketChannel first = attach(socket)) {
                assertThat(readUntil(first, "slice# ")).startsWith("boot messages");
                first.write(ByteBuffer.wrap("ls\n".getBytes(StandardCharsets.US_ASCII)));
                assertThat(awaitInput(serial, 3)).isEqualTo("ls\n");
                print(serial, "live line\n");
                assertThat(readUntil(first, "live line")).contains("live line");
            }
            try (SocketChannel second = attach(socket); SocketChannel third = attach(socket)) {
                assertThat(readUntil(second, "live line")).contains("boot messages").contains("live line");
                assertThat(readUntil(third, "live line")).contains("live line");
            }
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void aLongHistoryKeepsItsNewestBytes() throws Exception {
        Path socket = dir.resolve("console.sock");
        try (UnixSocketSerial serial = new UnixSocketSerial(socket)) {
            print(serial, "old\n" + "x".repeat(UnixSocketSerial.HISTORY) + "newest\n");
            try (SocketChannel late = attach(socket)) {
                String seen = readUntil(late, "newest");
                assertThat(seen).endsWith("newest\n").doesNotContain("old");
                assertThat(seen).hasSize(UnixSocketSerial.HISTORY);
            }
        }
    }

    private static String awaitInput(UnixSocketSerial serial, int count) throws InterruptedException {
        StringBuilder typed = new StringBuilder();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (typed.length() < count && System.nanoTime() < deadline) {
            int b = serial.poll();
            if (b < 0) Thread.sleep(5); else typed.append((char) b);
        }
        return typed.toString();
    }
}
