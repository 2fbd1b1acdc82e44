package dev.slice.driver.uml;

import dev.slice.driver.capability.ConsoleStream;
import dev.slice.driver.capability.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One attachment to a guest's console through dtach's socket. dtach owns the pty that is UML's con0,
 * so the console outlives every client and every Slice process; any number of clients may attach.
 * <p>
 * dtach's client protocol: the client sends fixed 10-byte packets (type, length, 8 bytes of data):
 * {@code ATTACH} to start receiving, {@code PUSH} with up to 8 keystrokes, {@code WINCH} with a window
 * size; the master sends the pty's output as a plain byte stream.
 */
final class DtachConsole implements ConsoleStream {
    private static final int PACKET = 10;
    private static final int PAYLOAD = 8;
    private static final byte PUSH = 0;
    private static final byte ATTACH = 1;
    private static final byte WINCH = 3;
    static final TerminalSize INITIAL_SIZE = new TerminalSize(24, 80);

    private final SocketChannel channel;
    private final InputStream fromGuest;
    private final OutputStream toGuest;

    /**
     * Wraps the command dtach runs so that it first gives up dtach's pty as its controlling terminal (TIOCNOTTY,
     * through perl, which every Debian host has). UML passes its pty's window size on to the guest only from a
     * helper that makes the pty its own controlling terminal, and a pty that still belongs to dtach's session
     * refuses that: the guest's console then stays 24x80 whatever the viewer's size. SIGHUP, which TIOCNOTTY sends
     * to the releasing process group, is ignored just around the call.
     */
    static List<String> releasingTerminal(List<String> command) {
        List<String> argv = new java.util.ArrayList<>(List.of("perl", "-e",
                "$SIG{HUP} = 'IGNORE'; ioctl(STDIN, 0x5422, 0) or die \"TIOCNOTTY: $!\"; $SIG{HUP} = 'DEFAULT';"
                        + " exec {$ARGV[0]} @ARGV or die \"exec $ARGV[0]: $!\"", "--"));
        argv.addAll(command);
        return List.copyOf(argv);
    }

    private DtachConsole(SocketChannel channel) {
        this.channel = channel;
        this.fromGuest = new FromGuest();
        this.toGuest = new ToGuest();
    }

    static DtachConsole attach(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        try {
            DtachConsole console = new DtachConsole(channel);
            console.send(ATTACH, new byte[0], 0, 0);
            // A sane size until a viewer says its own (a new pty is 0x0).
            console.resize(INITIAL_SIZE);
            return console;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** struct winsize: rows, columns, then two unused pixel sizes, all native-endian shorts. */
    private static byte[] windowSize(int rows, int columns) {
        ByteBuffer size = ByteBuffer.allocate(PAYLOAD).order(java.nio.ByteOrder.nativeOrder());
        size.putShort((short) rows).putShort((short) columns);
        return size.array();
    }

    /** One whole packet at a time: keystrokes and window sizes come from different threads. */
    private synchronized void send(byte type, byte[] data, int offset, int length) throws IOException {
        ByteBuffer packet = ByteBuffer.allocate(PACKET);
        packet.put(type).put((byte) length).put(data, offset, length);
        packet.position(PACKET).flip();
        while (packet.hasRemaining()) channel.write(packet);
    }

    /**
     * dtach sets its pty's size and UML's SIGWINCH helper passes it on to con0 ({@link #releasingTerminal}): the
     * guest's shell sees the new size at once.
     */
    @Override
    public Optional<WindowResize> windowResize() {
        return Optional.of(this::resize);
    }

    void resize(TerminalSize size) throws IOException {
        send(WINCH, windowSize(size.rows(), size.columns()), 0, PAYLOAD);
    }

    @Override
    public InputStream fromGuest() { return fromGuest; }

    @Override
    public OutputStream toGuest() { return toGuest; }

    @Override
    public void close() throws IOException { channel.close(); }

    /** Reads the channel directly: Channels.newInputStream would serialise reads with writes. */
    private final class FromGuest extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) return 0;
            try {
                return channel.read(ByteBuffer.wrap(buffer, offset, length));
            } catch (AsynchronousCloseException closed) {
                return -1;
            }
        }

        @Override
        public void close() throws IOException { channel.close(); }
    }

    private final class ToGuest extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int offset, int length) throws IOException {
            for (int at = offset; at < offset + length; at += PAYLOAD) {
                send(PUSH, data, at, Math.min(PAYLOAD, offset + length - at));
            }
        }

        @Override
        public void close() throws IOException { channel.close(); }
    }
}
