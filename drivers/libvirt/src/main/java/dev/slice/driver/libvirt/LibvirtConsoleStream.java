package dev.slice.driver.libvirt;

import com.sun.jna.Pointer;
import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestNotFoundException;
import dev.slice.driver.capability.ConsoleStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Arrays;

/**
 * One attachment to a guest's serial console through a libvirt stream on a connection of its
 * own. A platform thread blocks in {@code virStreamRecv} and feeds a pipe; readers (often virtual
 * threads) wait on the pipe, never inside native code. Closing aborts the stream, which wakes the
 * reader thread; that thread frees the stream and connection, so nothing is freed while in use.
 */
final class LibvirtConsoleStream implements ConsoleStream {
    private static final ConsoleLibrary LIBVIRT = ConsoleLibrary.INSTANCE;

    private final GuestId id;
    private final Pointer connection;
    private final Pointer stream;
    private final PipedInputStream fromGuest = new PipedInputStream(64 * 1024);
    private final PipedOutputStream pipe;
    private final OutputStream toGuest = new ToGuest();
    private final Object nativeLock = new Object();
    private volatile boolean closed;
    private boolean released;

    private LibvirtConsoleStream(GuestId id, Pointer connection, Pointer stream) throws IOException {
        this.id = id;
        this.connection = connection;
        this.stream = stream;
        this.pipe = new PipedOutputStream(fromGuest);
    }

    static LibvirtConsoleStream open(String uri, GuestId id) {
        Pointer connection = LIBVIRT.virConnectOpen(uri);
        if (connection == null) {
            throw new DriverException("cannot open the console of " + id + ": no connection to " + uri + ": " + lastError());
        }
        Pointer domain = LIBVIRT.virDomainLookupByName(connection, id.value());
        if (domain == null) {
            LIBVIRT.virConnectClose(connection);
            throw new GuestNotFoundException(id);
        }
        Pointer stream = LIBVIRT.virStreamNew(connection, 0);
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
        try {
            LibvirtConsoleStream console = new LibvirtConsoleStream(id, connection, stream);
            Thread.ofPlatform().daemon().name("console-" + id).start(console::pump);
            return console;
        } catch (IOException e) {
            LIBVIRT.virStreamAbort(stream);
            LIBVIRT.virStreamFree(stream);
            LIBVIRT.virConnectClose(connection);
            throw new DriverException("cannot open the console of " + id + ": " + e.getMessage(), e);
        }
    }

    private void pump() {
        byte[] buffer = new byte[8192];
        try {
            while (!closed) {
                int n = LIBVIRT.virStreamRecv(stream, buffer, buffer.length);
                if (n <= 0) break; // 0: the guest's console closed (guest stopped); <0: error or abort
                pipe.write(buffer, 0, n);
                pipe.flush();
            }
        } catch (IOException e) {
            // The reading side went away; detach.
        } finally {
            closed = true;
            try {
                pipe.close();
            } catch (IOException e) {
                // Nothing more to tell readers.
            }
            synchronized (nativeLock) {
                released = true;
                LIBVIRT.virStreamAbort(stream);
                LIBVIRT.virStreamFree(stream);
                LIBVIRT.virConnectClose(connection);
            }
        }
    }

    @Override
    public InputStream fromGuest() { return fromGuest; }

    @Override
    public OutputStream toGuest() { return toGuest; }

    @Override
    public void close() {
        synchronized (nativeLock) {
            if (released || closed) return;
            closed = true;
            // Wakes the pump thread out of virStreamRecv; it releases the native objects itself.
            LIBVIRT.virStreamAbort(stream);
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
            while (rest.length > 0) {
                int n;
                synchronized (nativeLock) {
                    if (closed || released) throw new IOException("console of " + id + " is closed");
                    n = LIBVIRT.virStreamSend(stream, rest, rest.length);
                }
                if (n < 0) throw new IOException("console of " + id + " refused input: " + lastError());
                rest = Arrays.copyOfRange(rest, n, rest.length);
            }
        }
    }

    private static String lastError() {
        String message = LIBVIRT.virGetLastErrorMessage();
        return message == null ? "unknown libvirt error" : message;
    }
}
