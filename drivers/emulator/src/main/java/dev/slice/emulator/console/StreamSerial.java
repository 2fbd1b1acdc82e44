package dev.slice.emulator.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/** A serial backend over a pair of streams (stdin/stdout, a socket); a daemon thread reads the input. */
public final class StreamSerial implements SerialBackend {
    private final LinkedBlockingQueue<Integer> input = new LinkedBlockingQueue<>();
    private final OutputStream out;

    public StreamSerial(InputStream in, OutputStream out) {
        this.out = out;
        Thread reader = new Thread(() -> {
            try {
                int b;
                while ((b = in.read()) >= 0) input.add(b == '\n' ? '\r' : b);
            } catch (IOException e) {
                // the stream closed: the console simply has no more input
            }
        }, "serial-input");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public int poll() {
        Integer b = input.poll();
        return b == null ? -1 : b;
    }

    @Override
    public void write(int b) {
        try {
            out.write(b);
            if (b == '\n') out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("serial console output failed", e);
        }
    }

    @Override
    public void flush() {
        try { out.flush(); } catch (IOException e) { throw new UncheckedIOException("serial console output failed", e); }
    }
}
