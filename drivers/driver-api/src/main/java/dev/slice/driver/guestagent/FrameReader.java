package dev.slice.driver.guestagent;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads intact frames from a byte stream that may hold anything else too: whatever does not start with
 * the magic, or fails a checksum, is skipped one byte at a time, so a real frame right behind a false
 * start is still found. Memory stays bounded by the largest payload.
 */
public final class FrameReader {
    private final InputStream in;
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private long skipped;

    public FrameReader(InputStream in) { this.in = in; }

    /** The next intact frame; blocks until one arrives. */
    public AgentFrame next() throws IOException {
        while (true) {
            fill(4);
            if (!magicAt(start)) {
                start++;
                skipped++;
                continue;
            }
            fill(AgentFrame.HEADER);
            ByteBuffer header = ByteBuffer.wrap(buffer, start, AgentFrame.HEADER);
            header.position(start + 4);
            int type = header.get() & 0xff;
            int zero = header.get() | header.getShort();
            int id = header.getInt();
            int length = header.getInt();
            long headerCrc = header.getInt() & 0xffffffffL;
            if (zero != 0 || length < 0 || length > AgentFrame.MAX_PAYLOAD || headerCrc != AgentFrame.crc(buffer, start, 16)) {
                start++;
                skipped++;
                continue;
            }
            fill(AgentFrame.HEADER + length + 4);
            int payloadAt = start + AgentFrame.HEADER;
            long payloadCrc = ByteBuffer.wrap(buffer, payloadAt + length, 4).getInt() & 0xffffffffL;
            if (payloadCrc != AgentFrame.crc(buffer, payloadAt, length)) {
                start++;
                skipped++;
                continue;
            }
            byte[] payload = Arrays.copyOfRange(buffer, payloadAt, payloadAt + length);
            start = payloadAt + length + 4;
            return new AgentFrame(type, id, payload);
        }
    }

    /** Bytes passed over so far because they were not part of an intact frame. */
    public long skipped() { return skipped; }

    private boolean magicAt(int at) {
        for (int i = 0; i < 4; i++) if (buffer[at + i] != AgentFrame.MAGIC[i]) return false;
        return true;
    }

    private void fill(int needed) throws IOException {
        if (end - start >= needed) return;
        if (buffer.length - start < needed) {
            if (buffer.length < needed) {
                buffer = Arrays.copyOfRange(buffer, start, start + Math.max(needed, Math.min(buffer.length * 2, needed * 2)));
            } else {
                System.arraycopy(buffer, start, buffer, 0, end - start);
            }
            end -= start;
            start = 0;
        }
        while (end - start < needed) {
            int got = in.read(buffer, end, buffer.length - end);
            if (got < 0) throw new EOFException("the agent's line closed");
            end += got;
        }
    }
}
