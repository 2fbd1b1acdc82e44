package dev.slice.emulator.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Two backends joined by a cable in memory: what one sends, the other receives (at once, on the sender's thread).
 * Frames sent before the other end has started are kept for it, so a test never races a device's start-up.
 */
public final class PacketPair {
    private final End a = new End(), b = new End();

    public PacketPair() {
        a.peer = b;
        b.peer = a;
    }

    public PacketBackend a() { return a; }

    public PacketBackend b() { return b; }

    private static final class End implements PacketBackend {
        private End peer;
        private Consumer<byte[]> receiver;
        private final List<byte[]> early = new ArrayList<>();
        private boolean closed;

        @Override
        public void start(Consumer<byte[]> r) {
            List<byte[]> backlog;
            synchronized (this) {
                if (receiver != null) throw new IllegalStateException("already started");
                receiver = r;
                backlog = new ArrayList<>(early);
                early.clear();
            }
            backlog.forEach(r);
        }

        @Override
        public void send(byte[] frame, int offset, int length) {
            peer.deliver(Arrays.copyOfRange(frame, offset, offset + length));
        }

        private void deliver(byte[] frame) {
            Consumer<byte[]> r;
            synchronized (this) {
                if (closed) return;
                r = receiver;
                if (r == null) { early.add(frame); return; }
            }
            r.accept(frame);
        }

        @Override
        public synchronized void close() { closed = true; }
    }
}
