package dev.slice.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host end of the yardstick's TCP workload, listening only on the address it is given (the run's own
 * bridge, or loopback for bare metal): mode 'R' echoes every byte (request-response), mode 'S' swallows
 * everything and answers the byte count when the sender shuts its side (throughput). Every read has a
 * deadline; closing the peer closes every connection.
 */
final class TcpPeer implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    TcpPeer(InetAddress address) {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on " + address.getHostAddress() + " for the TCP workload", e);
        }
        acceptor = Thread.ofVirtual().name("report-tcp-peer").start(this::accept);
    }

    /** {@code address:port}, as the yardstick's -c wants it. */
    String endpoint() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().name("report-tcp-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            int mode = in.read();
            if (mode == 'R') {
                int b;
                while ((b = in.read()) >= 0) out.write(b);
            } else if (mode == 'S') {
                byte[] buffer = new byte[65536];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) total += n;
                out.write(ByteBuffer.allocate(8).putLong(total).array());
                out.flush();
            }
        } catch (SocketException e) {
            // the yardstick went away or the peer was closed
        } catch (IOException e) {
            // a read deadline passed: the connection is dropped, the yardstick reports the failure
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
