package dev.slice.driver.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The console's buffer between libvirt's event loop (never waits) and readers (wait for data or the end). */
class ConsoleBufferTest {
    private final AtomicInteger drained = new AtomicInteger();
    private final ConsoleBuffer buffer = new ConsoleBuffer(drained::incrementAndGet);

    @Test
    void aReaderWaitsForDataAndGetsItInOrder() throws Exception {
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            byte[] into = new byte[16];
            try {
                int total = 0;
                while (total < "login: ".length()) total += buffer.read(into, total, into.length - total);
                return new String(into, 0, total, StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(50);
        assertThat(read).isNotDone();
        buffer.add("login".getBytes(StandardCharsets.US_ASCII));
        buffer.add(": ".getBytes(StandardCharsets.US_ASCII));
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo("login: ");
    }

    @Test
    void pastTheLimitItAsksToPauseAndSaysOnceWhenReadersDrainedItToHalf() throws Exception {
        byte[] chunk = new byte[ConsoleBuffer.LIMIT / 4];
        assertThat(buffer.add(chunk)).isTrue();
        assertThat(buffer.add(chunk)).isTrue();
        assertThat(buffer.add(chunk)).isTrue();
        assertThat(buffer.add(chunk)).as("at the limit").isFalse();
        assertThat(buffer.available()).isEqualTo(ConsoleBuffer.LIMIT);

        byte[] into = new byte[ConsoleBuffer.LIMIT / 4];
        buffer.read(into, 0, into.length);
        assertThat(drained).hasValue(0);
        assertThat(buffer.hasRoom()).isFalse();
        buffer.read(into, 0, into.length);
        buffer.read(into, 0, 1);
        assertThat(drained).as("below half").hasValue(1);
        assertThat(buffer.hasRoom()).isTrue();
        buffer.read(into, 0, into.length);
        assertThat(drained).as("said once").hasValue(1);
    }

    @Test
    void afterTheEndReadersGetWhatIsLeftThenMinusOne() throws Exception {
        buffer.add(new byte[] {1, 2, 3});
        buffer.end();
        byte[] into = new byte[8];
        assertThat(buffer.read(into, 0, 8)).isEqualTo(3);
        assertThat(buffer.read(into, 0, 8)).isEqualTo(-1);
        assertThat(buffer.read()).isEqualTo(-1);
    }

    @Test
    void aClosedBufferDropsWhatComesAndResumesAPausedConsole() throws Exception {
        buffer.add(new byte[ConsoleBuffer.LIMIT]);
        buffer.close();
        assertThat(drained).as("a paused console drains libvirt again").hasValue(1);
        assertThat(buffer.add(new byte[10])).isTrue();
        assertThat(buffer.available()).isZero();
        assertThat(buffer.read()).isEqualTo(-1);
    }
}
