package dev.slice.driver.guestagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    private static AgentFrame frame(int type, int id, String payload) {
        return new AgentFrame(type, id, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static FrameReader reader(byte[] bytes) { return new FrameReader(new ByteArrayInputStream(bytes)); }

    @Test
    void aFrameRoundTripsWithEveryByteValueInItsPayload() throws IOException {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) all[i] = (byte) i;
        AgentFrame read = reader(new AgentFrame(0x82, -7, all).encode()).next();
        assertThat(read.type()).isEqualTo(0x82);
        assertThat(read.id()).isEqualTo(-7);
        assertThat(read.payload()).isEqualTo(all);
    }

    @Test
    void theLayoutIsMagicTypeIdLengthAndTwoChecksums() {
        byte[] bytes = frame(1, 0x01020304, "").encode();
        assertThat(bytes).hasSize(24);
        assertThat(Arrays.copyOfRange(bytes, 0, 12)).containsExactly('S', 'L', 'G', 'A', 1, 0, 0, 0, 1, 2, 3, 4);
        assertThat(Arrays.copyOfRange(bytes, 12, 16)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void garbageAndFalseStartsBeforeAFrameAreSkipped() throws IOException {
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        byte[] real = frame(0x81, 42, "hello").encode();
        // A bare magic, a torn frame (a header whose payload is cut off; later bytes complete its length, then its
        // checksum fails), a frame with a broken payload, more noise.
        byte[] torn = Arrays.copyOf(frame(0x82, 41, "x".repeat(100)).encode(), 30);
        byte[] broken = frame(0x81, 40, "bad").encode();
        broken[21] ^= 1;
        byte[] more = Arrays.copyOf(noise, 200);
        FrameReader reader = reader(concat(noise, "SLGA".getBytes(StandardCharsets.US_ASCII), torn, broken, more, real));
        AgentFrame read = reader.next();
        assertThat(read.id()).isEqualTo(42);
        assertThat(new String(read.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(reader.skipped()).isGreaterThanOrEqualTo(5000 + 4 + 30 + broken.length + 200);
    }

    @Test
    void aLengthBeyondTheLimitIsGarbageNotAnAllocation() throws IOException {
        byte[] huge = frame(0x82, 1, "").encode();
        huge[12] = 0x7f; // length 2^30-ish, with a header checksum that no longer matches anyway
        byte[] real = frame(0x83, 2, "ok").encode();
        assertThat(reader(concat(huge, real)).next().id()).isEqualTo(2);
    }

    @Test
    void framesArriveWhateverTheChunkingOfTheStream() throws IOException {
        byte[] stream = concat(frame(0x81, 1, "a").encode(), frame(0x82, 2, "b".repeat(70_000)).encode(), frame(0x83, 3, "c").encode());
        InputStream trickle = new InputStream() {
            private int at;
            @Override public int read() { return at < stream.length ? stream[at++] & 0xff : -1; }
            @Override public int read(byte[] b, int off, int len) {
                if (at >= stream.length) return -1;
                int n = Math.min(Math.min(len, 7), stream.length - at);
                System.arraycopy(stream, at, b, off, n);
                at += n;
                return n;
            }
        };
        FrameReader reader = new FrameReader(trickle);
        assertThat(reader.next().id()).isEqualTo(1);
        assertThat(reader.next().payload()).hasSize(70_000);
        assertThat(reader.next().id()).isEqualTo(3);
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    }

    @Test
    void payloadsOverTheLimitAreRefusedWhenWritten() {
        assertThatThrownBy(() -> new AgentFrame(2, 1, new byte[AgentFrame.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
