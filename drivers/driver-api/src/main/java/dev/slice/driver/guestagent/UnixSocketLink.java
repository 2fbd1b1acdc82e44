package dev.slice.driver.guestagent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** A link over a Unix stream socket whose other end is the guest's line (the emulator's agent UART). */
public final class UnixSocketLink implements AgentLink {
    private final SocketChannel channel;

    private UnixSocketLink(SocketChannel channel) { this.channel = channel; }

    public static UnixSocketLink connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new UnixSocketLink(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public InputStream in() { return Channels.newInputStream(channel); }

    @Override
    public OutputStream out() { return Channels.newOutputStream(channel); }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do.
        }
    }
}
