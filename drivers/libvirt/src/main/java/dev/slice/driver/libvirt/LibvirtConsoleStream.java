package dev.slice.driver.libvirt;

import com.sun.jna.Pointer;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.capability.ConsoleStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attachment to a guest's serial console: a non-blocking libvirt stream on a connection of its own,
 * driven by libvirt's event loop ({@link LibvirtEventLoop}). When the guest prints, the loop calls back and
 * the data is moved into a {@link ConsoleBuffer} that readers wait on; no thread ever sits in a stream call,
 * so closing never waits for one (a blocking {@code virStreamRecv} on an idle guest used to keep
 * {@code virStreamAbort} waiting forever). Closing removes the callback and aborts the stream on a thread of
 * its own, waiting for it at most {@link #CLOSE_DEADLINE}; the connection's keepalive bounds every native
 * wait on it, should libvirtd stop answering.
 */
final class LibvirtConsoleStream implements ConsoleStream {
    static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    private static final ConsoleLibrary LIBVIRT = ConsoleLibrary.INSTANCE;
    private static final int ALL_EVENTS = ConsoleLibrary.VIR_STREAM_EVENT_READABLE
            | ConsoleLibrary.VIR_STREAM_EVENT_ERROR | ConsoleLibrary.VIR_STREAM_EVENT_HANGUP;
    private static final int PAUSED_EVENTS = ConsoleLibrary.VIR_STREAM_EVENT_ERROR | ConsoleLibrary.VIR_STREAM_EVENT_HANGUP;
    /** libvirtd is sent a keepalive every 5 s; after 3 unanswered ones libvirt closes the connection. */
    private static final int KEEPALIVE_INTERVAL_SECONDS = 5;
    private static final int KEEPALIVE_COUNT = 3;
    private static final Duration SEND_DEADLINE = Duration.ofSeconds(10);
    /** Callbacks libvirt still holds: JNA must not let them be collected before libvirt frees them. */
    private static final Set<LibvirtConsoleStream> REGISTERED = ConcurrentHashMap.newKeySet();

    private final GuestId id;
    private final Pointer connection;
    private final Pointer stream;
    private final ConsoleBuffer fromGuest = new ConsoleBuffer(this::resume);
    private final OutputStream toGuest = new ToGuest();
    private final byte[] receiveBuffer = new byte[8192];
    private final ConsoleLibrary.StreamEventCallback onEvent = (s, events, opaque) -> onEvent(events);
    private final ConsoleLibrary.FreeCallback onFree = opaque -> REGISTERED.remove(this);
    private final CountDownLatch released = new CountDownLatch(1);
    /** Guards the native stream: once {@link #closed} is set under it, nothing but the release touches the stream. */
    private final Object nativeLock = new Object();
    private boolean closed;
    private boolean paused;
    /** libvirt said the stream finished (the guest's console closed), rather than failed or being replaced. */
    private volatile boolean finishedByTheGuest;

    private LibvirtConsoleStream(GuestId id, Pointer connection, Pointer stream) {
        this.id = id;
        this.connection = connection;
        this.stream = stream;
    }

    static LibvirtConsoleStream open(String uri, GuestId id) {
        LibvirtEventLoop.ensureRunning();
        Pointer connection = LIBVIRT.virConnectOpen(uri);
        if (connection == null) {
            throw new DriverException("cannot open the console of " + id + ": no connection to " + uri + ": " + lastError());
        }
        LIBVIRT.virConnectSetKeepAlive(connection, KEEPALIVE_INTERVAL_SECONDS, KEEPALIVE_COUNT); // best effort
        Pointer domain = LIBVIRT.virDomainLookupByName(connection, id.value());
        if (domain == null) {
            LIBVIRT.virConnectClose(connection);
            throw new GuestNotFoundException(id);
        }
        Pointer stream = LIBVIRT.virStreamNew(connection, ConsoleLibrary.VIR_STREAM_NONBLOCK);
        try {
            if (stream == null || LIBVIRT.virDomainOpenConsole(domain, null, stream, ConsoleLibrary.VIR_DOMAIN_CONSOLE_FORCE) != 0) {
                String why = lastError();
                if (stream != null) LIBVIRT.virStreamFree(stream);
                LIBVIRT.virConnectClose(connection);
                throw new DriverException("cannot open the console of " + id + " (is it running?): " + why);
            }
        } finally {
            LIBVIRT.virDomainFree(domain);
        }
        LibvirtConsoleStream console = new LibvirtConsoleStream(id, connection, stream);
        REGISTERED.add(console);
        if (LIBVIRT.virStreamEventAddCallback(stream, ALL_EVENTS, console.onEvent, null, console.onFree) != 0) {
            String why = lastError();
            REGISTERED.remove(console);
            console.closed = true;
            console.release(false);
            throw new DriverException("cannot open the console of " + id + ": libvirt's event loop refused the stream: " + why);
        }
        return console;
    }

    /** On libvirt's event-loop thread: takes what the guest printed, never waits. */
    private void onEvent(int events) {
        boolean ended = false;
        boolean finished = false;
        synchronized (nativeLock) {
            if (closed) return; // a dispatch that raced with close
            while (true) {
                int n = LIBVIRT.virStreamRecv(stream, receiveBuffer, receiveBuffer.length);
                if (n > 0) {
                    if (!fromGuest.add(Arrays.copyOf(receiveBuffer, n))) {
                        pause();
                        break;
                    }
                    continue;
                }
                if (n == ConsoleLibrary.WOULD_BLOCK) {
                    // Nothing buffered; a hang-up or error without data ends the console.
                    ended = (events & PAUSED_EVENTS) != 0;
                } else {
                    ended = true; // 0: the guest's console closed (guest stopped); -1: error, e.g. replaced by a newer attachment
                    finished = n == 0;
                }
                break;
            }
            if (ended) closed = true;
        }
        if (ended) {
            finishedByTheGuest = finished;
            fromGuest.end();
            releaseInBackground(finished);
        }
    }

    /** Under {@link #nativeLock}: readers are behind; stop asking libvirt for data until they catch up. */
    private void pause() {
        paused = true;
        LIBVIRT.virStreamEventUpdateCallback(stream, PAUSED_EVENTS);
    }

    /** From a reader that drained the buffer to half. */
    private void resume() {
        synchronized (nativeLock) {
            if (closed || !paused || !fromGuest.hasRoom()) return;
            paused = false;
            LIBVIRT.virStreamEventUpdateCallback(stream, ALL_EVENTS);
        }
    }

    /**
     * Frees the native objects once nothing else may use them ({@link #closed} is set). Off the event-loop
     * thread: aborting talks to libvirtd, and the loop must keep dispatching meanwhile.
     */
    private void release(boolean finished) {
        try {
            LIBVIRT.virStreamEventRemoveCallback(stream);
            if (finished) LIBVIRT.virStreamFinish(stream);
            else LIBVIRT.virStreamAbort(stream);
            LIBVIRT.virStreamFree(stream);
            LIBVIRT.virConnectClose(connection);
        } finally {
            released.countDown();
        }
    }

    private void releaseInBackground(boolean finished) {
        Thread.ofPlatform().daemon().name("console-release-" + id).start(() -> release(finished));
    }

    /** Whether the stream and its connection were freed within the deadline (for tests). */
    boolean awaitReleased(Duration deadline) throws InterruptedException {
        return released.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public InputStream fromGuest() { return fromGuest; }

    @Override
    public boolean closedByTheGuest() { return finishedByTheGuest; }

    @Override
    public OutputStream toGuest() { return toGuest; }

    /** Detaches: readers see the end of the stream at once; returns when libvirt let go, or after {@link #CLOSE_DEADLINE}. */
    @Override
    public void close() {
        boolean release;
        synchronized (nativeLock) {
            release = !closed;
            closed = true;
        }
        fromGuest.end();
        if (release) releaseInBackground(false);
        try {
            awaitReleased(CLOSE_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class ToGuest extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            byte[] rest = Arrays.copyOfRange(data, offset, offset + length);
            long deadline = System.nanoTime() + SEND_DEADLINE.toNanos();
            while (rest.length > 0) {
                int n;
                synchronized (nativeLock) {
                    if (closed) throw new IOException("console of " + id + " is closed");
                    n = LIBVIRT.virStreamSend(stream, rest, rest.length);
                }
                if (n == ConsoleLibrary.WOULD_BLOCK) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("console of " + id + " took no input for " + SEND_DEADLINE.toSeconds() + " s");
                    }
                    sleepBriefly();
                    continue;
                }
                if (n < 0) throw new IOException("console of " + id + " refused input: " + lastError());
                rest = Arrays.copyOfRange(rest, n, rest.length);
            }
        }
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while typing into a console");
        }
    }

    private static String lastError() {
        String message = LIBVIRT.virGetLastErrorMessage();
        return message == null ? "unknown libvirt error" : message;
    }
}
