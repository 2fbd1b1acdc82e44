package dev.slice.driver.uml;

import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One boot's console of a UML guest as Slice's viewers share it: a single dtach attachment, made when the guest
 * starts, reads everything the guest prints into a history ({@link #HISTORY_BYTES}) and hands it on to every
 * viewer. So a viewer that attaches late (a browser that reconnects after a reboot, a page reload) starts with the
 * boot messages and the login prompt printed while nobody watched, which a plain dtach client never sees. Keystrokes
 * of every viewer go to the guest through the same attachment; the pty's one window size follows
 * {@link SmallestViewerSize}. Ends when dtach does (the kernel stopped): every viewer then reads the end of its stream.
 */
final class SharedConsole {
    static final int HISTORY_BYTES = 64 * 1024;
    /** A viewer this far behind the guest is dropped rather than holding the others back; it may attach again. */
    static final int VIEWER_BACKLOG_BYTES = 1 << 20;

    private final DtachConsole dtach;
    private final Runnable onEnd;
    private final byte[] history = new byte[HISTORY_BYTES];
    private long printed; // bytes recorded so far; byte n is at history[n % HISTORY_BYTES] while n >= printed - size
    private final Set<Viewer> viewers = new LinkedHashSet<>();
    private final SmallestViewerSize sizes = new SmallestViewerSize(DtachConsole.INITIAL_SIZE);
    private boolean ended;

    private SharedConsole(DtachConsole dtach, Runnable onEnd) {
        this.dtach = dtach;
        this.onEnd = onEnd;
    }

    /** Attaches to dtach's socket and starts recording; {@code onEnd} runs once when the console has ended. */
    static SharedConsole attach(Path socket, String name, Runnable onEnd) throws IOException {
        SharedConsole console = new SharedConsole(DtachConsole.attach(socket), onEnd);
        Thread.ofVirtual().name("uml-console-" + name).start(console::record);
        return console;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** A new viewer, whose stream starts with this boot's recent output. */
    synchronized Optional<ConsoleStream> newViewer() {
        if (ended) return Optional.empty();
        Viewer viewer = new Viewer();
        byte[] recent = recent();
        if (recent.length > 0) viewer.offer(recent);
        viewers.add(viewer);
        return Optional.of(viewer);
    }

    /** Detaches from dtach (the guest runs on); the viewers' streams end. */
    void close() throws IOException {
        dtach.close();
    }

    private void record() {
        byte[] buffer = new byte[8192];
        try (InputStream in = dtach.fromGuest()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) deliver(Arrays.copyOf(buffer, n));
            }
        } catch (IOException e) {
            // dtach went away with the kernel, or the console was closed: the end, as below.
        } finally {
            end();
        }
    }

    private synchronized void deliver(byte[] chunk) {
        for (int i = Math.max(0, chunk.length - HISTORY_BYTES); i < chunk.length; i++) {
            history[(int) (printed++ % HISTORY_BYTES)] = chunk[i];
        }
        List<Viewer> behind = new ArrayList<>();
        for (Viewer viewer : viewers) {
            if (!viewer.offer(chunk)) behind.add(viewer);
        }
        for (Viewer viewer : behind) {
            viewer.end(true);
            leave(viewer);
        }
    }

    private byte[] recent() {
        int length = (int) Math.min(printed, HISTORY_BYTES);
        byte[] out = new byte[length];
        long start = printed - length;
        for (int i = 0; i < length; i++) out[i] = history[(int) ((start + i) % HISTORY_BYTES)];
        return out;
    }

    private void end() {
        List<Viewer> left;
        synchronized (this) {
            if (ended) return;
            ended = true;
            left = new ArrayList<>(viewers);
            viewers.clear();
        }
        for (Viewer viewer : left) viewer.end(false);
        onEnd.run();
    }

    /** Under the lock, so that sizes reach the pty in the order they were decided. */
    private synchronized void resize(Viewer viewer, TerminalSize size) throws IOException {
        if (!viewers.contains(viewer)) return;
        Optional<TerminalSize> apply = sizes.resized(viewer, size);
        if (apply.isPresent()) dtach.resize(apply.get());
    }

    private synchronized void leave(Viewer viewer) {
        viewers.remove(viewer);
        Optional<TerminalSize> apply = sizes.left(viewer);
        if (apply.isEmpty() || ended) return;
        try {
            dtach.resize(apply.get());
        } catch (IOException e) {
            // dtach is going away; the reader sees the end.
        }
    }

    /** One viewer: what the guest printed, queued for it; its keystrokes go to the shared attachment. */
    private final class Viewer implements ConsoleStream {
        private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
        private int queuedBytes;
        private int headOffset;
        private boolean finished;
        private final InputStream fromGuest = new FromGuest();
        private final OutputStream toGuest = new ToGuest();

        /** False when this viewer is too far behind to take more. */
        synchronized boolean offer(byte[] chunk) {
            if (finished) return true;
            if (queuedBytes + chunk.length > VIEWER_BACKLOG_BYTES) return false;
            queued.add(chunk);
            queuedBytes += chunk.length;
            notifyAll();
            return true;
        }

        /** {@code dropQueued}: the viewer fell behind, so it ends at once instead of after what it has not read. */
        synchronized void end(boolean dropQueued) {
            finished = true;
            if (dropQueued) {
                queued.clear();
                queuedBytes = 0;
                headOffset = 0;
            }
            notifyAll();
        }

        @Override
        public InputStream fromGuest() { return fromGuest; }

        @Override
        public OutputStream toGuest() { return toGuest; }

        @Override
        public Optional<WindowResize> windowResize() {
            return Optional.of(size -> SharedConsole.this.resize(this, size));
        }

        @Override
        public boolean replaysRecentOutput() {
            return true;
        }

        @Override
        public void close() {
            end(true);
            leave(this);
        }

        private final class FromGuest extends InputStream {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            /** Blocks until the guest prints or the console ends; closing the viewer ends the wait. */
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) return 0;
                synchronized (Viewer.this) {
                    while (queued.isEmpty() && !finished) {
                        try {
                            Viewer.this.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new java.io.InterruptedIOException("interrupted while reading a UML console");
                        }
                    }
                    if (queued.isEmpty()) return -1;
                    byte[] head = queued.peek();
                    int n = Math.min(length, head.length - headOffset);
                    System.arraycopy(head, headOffset, buffer, offset, n);
                    headOffset += n;
                    queuedBytes -= n;
                    if (headOffset == head.length) {
                        queued.poll();
                        headOffset = 0;
                    }
                    return n;
                }
            }

            @Override
            public void close() {
                Viewer.this.close();
            }
        }

        private final class ToGuest extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                synchronized (Viewer.this) {
                    if (finished) throw new IOException("this console viewer has ended");
                }
                dtach.toGuest().write(data, offset, length);
            }
        }
    }
}
