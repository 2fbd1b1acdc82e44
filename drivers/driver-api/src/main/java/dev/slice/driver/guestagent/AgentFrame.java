package dev.slice.driver.guestagent;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * One frame of Slice's guest-agent protocol (the agent is {@code deploy/guest-agent/slice-guest-agent.c}):
 * {@code "SLGA" type:u8 0:u8 0:u16 id:u32 length:u32 crc32(header):u32 payload crc32(payload):u32}, big-endian.
 * Both checksums let a reader that starts in the middle of a stream, or among garbage, find the next real frame.
 */
public record AgentFrame(int type, int id, byte[] payload) {
    static final byte[] MAGIC = {'S', 'L', 'G', 'A'};
    static final int HEADER = 20;
    /** The largest payload either side accepts; a larger length is garbage. */
    public static final int MAX_PAYLOAD = 4 << 20;

    public static final int HELLO = 1;
    public static final int EXEC = 2;
    public static final int WRITE = 3;
    public static final int HELLO_REPLY = 0x81;
    public static final int EXEC_REPLY = 0x82;
    public static final int WRITE_REPLY = 0x83;
    public static final int ERROR_REPLY = 0xff;

    public AgentFrame {
        if (type < 0 || type > 0xff) throw new IllegalArgumentException("frame type " + type + " is not a byte");
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("a frame payload holds at most " + MAX_PAYLOAD + " bytes, got " + payload.length);
        }
    }

    /** The frame as it goes on the line. */
    public byte[] encode() {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length + 4);
        frame.put(MAGIC).put((byte) type).put((byte) 0).putShort((short) 0).putInt(id).putInt(payload.length);
        frame.putInt((int) crc(frame.array(), 0, 16));
        frame.put(payload).putInt((int) crc(payload, 0, payload.length));
        return frame.array();
    }

    static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
