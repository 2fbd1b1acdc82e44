package dev.slice.driver.emulator;

import dev.slice.driver.capability.ConsoleStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One attachment to an emulator's console socket. Reads and writes go to the channel directly (not through
 * {@code Channels.newInputStream}, whose streams may share one lock), so typing never waits for the guest to print.
 */
final class SocketConsole implements ConsoleStream {
    private final SocketChannel channel;
    private final Optional<WindowResize> windowResize;
    private final InputStream in;
    private final OutputStream out;

    private SocketConsole(SocketChannel channel, Optional<WindowResize> windowResize) {
        this.channel = channel;
        this.windowResize = windowResize;
        this.in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                int n = channel.read(ByteBuffer.wrap(b, off, len));
                return n < 0 ? -1 : n;
            }

            @Override
            public void close() throws IOException { channel.close(); }
        };
        this.out = new OutputStream() {
            @Override
            public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) channel.write(buffer);
            }

            @Override
            public void close() throws IOException { channel.close(); }
        };
    }

    /** {@code windowResize}: how the guest's console tty is told a new size, when it can be (its guest agent). */
    static SocketConsole attach(Path socket, Optional<WindowResize> windowResize) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new SocketConsole(channel, windowResize);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    @Override public InputStream fromGuest() { return in; }

    @Override public OutputStream toGuest() { return out; }

    @Override public void close() throws IOException { channel.close(); }

    /** A UART carries no window size: the size is set on the guest's side of it (stty through the guest agent). */
    @Override
    public Optional<WindowResize> windowResize() { return windowResize; }

    /** The emulator's console socket starts every attachment with the last 64 KiB the guest printed. */
    @Override
    public boolean replaysRecentOutput() { return true; }
}
