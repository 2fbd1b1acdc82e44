package dev.slice.emulator.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/** An in-memory console: input is typed by the caller, output is kept and can be waited for. Used by tests and drivers. */
public final class BufferSerial implements SerialBackend {
    private final ConcurrentLinkedQueue<Integer> input = new ConcurrentLinkedQueue<>();
    private final StringBuilder output = new StringBuilder();
    private final Object lock = new Object();

    public void type(String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) input.add(b & 0xff);
    }

    @Override
    public int poll() {
        Integer b = input.poll();
        return b == null ? -1 : b;
    }

    @Override
    public void write(int b) {
        synchronized (lock) {
            output.append((char) (b & 0xff));
            lock.notifyAll();
        }
    }

    public String output() {
        synchronized (lock) { return output.toString(); }
    }

    /** Waits until the output, from {@code from} on, contains {@code text}; returns the index after it, or -1 on timeout. */
    public int awaitOutput(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                int i = output.indexOf(text, from);
                if (i >= 0) return i + text.length();
                long left = deadline - System.nanoTime();
                if (left <= 0) return -1;
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
