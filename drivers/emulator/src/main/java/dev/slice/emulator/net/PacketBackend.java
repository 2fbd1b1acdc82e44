package dev.slice.emulator.net;

import java.util.function.Consumer;

/**
 * Where a network card's Ethernet frames go and come from: a host TAP device ({@link TapBackend}) or, in tests,
 * the other end of an in-memory link ({@link PacketPair}). Frames carry no virtio header and no packet information.
 */
public interface PacketBackend extends AutoCloseable {
    /**
     * Starts handing each received frame to {@code receiver}, on a thread of the backend's own (the receiver must
     * not block). Called once.
     */
    void start(Consumer<byte[]> receiver);

    /** Sends one frame; a frame the host cannot take now is dropped, as a full link would drop it. */
    void send(byte[] frame, int offset, int length);

    /** Stops receiving (the receive thread has ended when this returns) and releases the backend. Idempotent. */
    @Override
    void close();
}
