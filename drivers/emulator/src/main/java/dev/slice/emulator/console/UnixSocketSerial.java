package dev.slice.emulator.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The serial console on a Unix domain socket, for a guest that runs detached from whoever watches it: any
 * number of clients may attach, at once or one after another; each gets the last {@link #HISTORY} bytes the
 * guest printed (so output while nobody watched is not lost), then the live output; keystrokes from any client
 * go to the guest. The hart never waits for a client: output goes into a ring, and each client's own thread
 * sends from it; a client too slow to keep up skips ahead to the oldest byte still kept.
 */
public final class UnixSocketSerial implements SerialBackend, AutoCloseable {
    public static final int HISTORY = 64 * 1024;

    private final LinkedBlockingQueue<Integer> input = new LinkedBlockingQueue<>();
    private final byte[] ring = new byte[HISTORY];
    /** Bytes the guest printed since power-on; byte {@code n} is at {@code ring[n % HISTORY]} while {@code n > end - HISTORY}. */
    private long end;
    private final ServerSocketChannel server;
    private final Path path;
    private volatile boolean closed;

    public UnixSocketSerial(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        // Only the owner (Slice's user) may attach: the console is a root shell.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread.ofPlatform().daemon().name("console-accept").start(this::accept);
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                Thread.ofPlatform().daemon().name("console-out").start(() -> sendTo(client));
                Thread.ofPlatform().daemon().name("console-in").start(() -> receiveFrom(client));
            } catch (IOException e) {
                if (!closed) System.err.println("[slice-emulator] console socket: " + e.getMessage());
                return;
            }
        }
    }

    private void sendTo(SocketChannel client) {
        long next;
        synchronized (ring) {
            next = Math.max(0, end - HISTORY);
        }
        byte[] chunk = new byte[4096];
        try (client) {
            while (!closed && client.isOpen()) {
                int n;
                synchronized (ring) {
                    while (next == end && !closed) ring.wait(200);
                    next = Math.max(next, end - HISTORY);
                    n = (int) Math.min(chunk.length, end - next);
                    for (int i = 0; i < n; i++) chunk[i] = ring[(int) ((next + i) % HISTORY)];
                }
                ByteBuffer out = ByteBuffer.wrap(chunk, 0, n);
                while (out.hasRemaining()) client.write(out);
                next += n;
            }
        } catch (IOException | InterruptedException e) {
            // The client left; the guest runs on.
        }
    }

    private void receiveFrom(SocketChannel client) {
        ByteBuffer in = ByteBuffer.allocate(1024);
        try {
            while (!closed && client.read(in.clear()) >= 0) {
                for (int i = 0; i < in.position(); i++) input.add(in.get(i) & 0xff);
            }
        } catch (IOException e) {
            // The client left.
        } finally {
            try {
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    @Override
    public int poll() {
        Integer b = input.poll();
        return b == null ? -1 : b;
    }

    @Override
    public void write(int b) {
        synchronized (ring) {
            ring[(int) (end % HISTORY)] = (byte) b;
            end++;
            if (b == '\n') ring.notifyAll();
        }
    }

    @Override
    public void flush() {
        synchronized (ring) {
            ring.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        flush();
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
