package dev.slice.emulator.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A host TAP device, opened by name through the JDK's foreign function API ({@code /dev/net/tun}, {@code TUNSETIFF}
 * with {@code IFF_TAP | IFF_NO_PI}). The TAP is persistent and made beforehand by whoever has the privilege (the
 * Slice driver, with this process's user as its owner), so the emulator itself needs none. One thread reads frames
 * ({@code poll} with a short timeout, then {@code read}) until {@link #close}; sending is a plain {@code write} on
 * the caller's thread (a TAP takes a frame at once or drops it).
 */
public final class TapBackend implements PacketBackend {
    private static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;
    private static final short POLLIN = 0x1;
    private static final int EINTR = 4, EAGAIN = 11;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    /** How often the reader looks up from poll() to see whether it should stop. */
    private static final int POLL_MILLIS = 200;
    private static final int MAX_FRAME = 65_536;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final String name;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendBuffer = arena.allocate(MAX_FRAME);
    private final MemorySegment sendState = arena.allocate(CALL_STATE);
    private volatile boolean closed;
    private Thread reader;
    private long sendErrors;

    private TapBackend(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    private static MethodHandle downcall(String function, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(function).orElseThrow(), descriptor, options);
    }

    /** Attaches to the existing TAP {@code name}; fails with the reason (no such device, another owner). */
    public static TapBackend open(String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) throw new IllegalArgumentException("TAP name '" + name + "' must be 1 to 15 characters");
        // TUNSETIFF with a free name would make a new, unattached device (for a privileged user): attach only
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/class/net", name))) {
            throw new IOException("no TAP device " + name + " on this host: it is made (on the bridge) before the emulator starts");
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, call.allocateFrom("/dev/net/tun"), O_RDWR | O_CLOEXEC);
            if (fd < 0) throw new IOException("cannot open /dev/net/tun: " + describe(errno(state)));
            MemorySegment ifreq = call.allocate(IFREQ_SIZE);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            int r = (int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq);
            if (r < 0) {
                int err = errno(state);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("cannot attach to TAP device " + name + ": " + describe(err)
                        + (err == 1 ? " (it belongs to another user, or does not exist and this user may not create it)" : ""));
            }
            return new TapBackend(name, fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public String name() { return name; }

    @Override
    public synchronized void start(Consumer<byte[]> receiver) {
        if (reader != null) throw new IllegalStateException("already started");
        reader = Thread.ofPlatform().daemon().name("tap-" + name).start(() -> readLoop(receiver));
    }

    private void readLoop(Consumer<byte[]> receiver) {
        try (Arena loop = Arena.ofConfined()) {
            MemorySegment buffer = loop.allocate(MAX_FRAME);
            MemorySegment pollfd = loop.allocate(8);
            MemorySegment state = loop.allocate(CALL_STATE);
            while (!closed && !Thread.currentThread().isInterrupted()) {
                pollfd.set(ValueLayout.JAVA_INT, 0, fd);
                pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int ready = (int) POLL.invokeExact(state, pollfd, 1L, POLL_MILLIS);
                if (ready < 0) {
                    if (errno(state) == EINTR) continue;
                    throw new IOException("poll on TAP " + name + ": " + describe(errno(state)));
                }
                if (ready == 0 || closed) continue;
                long n = (long) READ.invokeExact(state, fd, buffer, (long) MAX_FRAME);
                if (n < 0) {
                    int err = errno(state);
                    if (err == EINTR || err == EAGAIN) continue;
                    throw new IOException("read from TAP " + name + ": " + describe(err));
                }
                if (n == 0) continue;
                receiver.accept(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
        } catch (Throwable t) {
            if (!closed) System.err.println("[slice-emulator] network: " + t.getMessage() + "; the guest receives no more frames");
        }
    }

    @Override
    public synchronized void send(byte[] frame, int offset, int length) {
        if (closed || length <= 0 || length > MAX_FRAME) return;
        MemorySegment.copy(frame, offset, sendBuffer, ValueLayout.JAVA_BYTE, 0, length);
        try {
            long n = (long) WRITE.invokeExact(sendState, fd, sendBuffer, (long) length);
            if (n < 0 && sendErrors++ == 0) {
                System.err.println("[slice-emulator] network: write to TAP " + name + ": " + describe(errno(sendState))
                        + " (frames are dropped)");
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        Thread r;
        synchronized (this) {
            if (closed) return;
            closed = true;
            r = reader;
        }
        if (r != null) {
            r.interrupt();
            try {
                r.join(5L * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            arena.close();
        }
    }

    private static int errno(MemorySegment state) { return (int) ERRNO.get(state, 0L); }

    private static String describe(int errno) {
        String symbol = switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 13 -> "EACCES";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            default -> "errno";
        };
        return symbol + " (" + errno + ")";
    }

    @Override
    public String toString() { return "TAP " + name + " (fd " + fd + (closed ? ", closed)" : ")"); }
}
