package dev.slice.driver.guestagent;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The fields of a frame's payload: big-endian integers and byte strings with a u32 length. */
final class Payload {
    private Payload() {}

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer u32(long value) {
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) value).array());
            return this;
        }

        Writer u64(long value) {
            out.writeBytes(ByteBuffer.allocate(8).putLong(value).array());
            return this;
        }

        Writer bytes(byte[] value, int offset, int length) {
            u32(length);
            out.write(value, offset, length);
            return this;
        }

        Writer string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            return bytes(utf8, 0, utf8.length);
        }

        byte[] toBytes() { return out.toByteArray(); }
    }

    /** Reads fields in order; a payload that ends early or holds more than its fields is malformed. */
    static final class Reader {
        private final ByteBuffer in;

        Reader(byte[] payload) { this.in = ByteBuffer.wrap(payload); }

        long u32() {
            try {
                return in.getInt() & 0xffffffffL;
            } catch (BufferUnderflowException e) {
                throw new MalformedReply("a reply ended early");
            }
        }

        long u64() {
            try {
                return in.getLong();
            } catch (BufferUnderflowException e) {
                throw new MalformedReply("a reply ended early");
            }
        }

        byte[] bytes(int limit) {
            long length = u32();
            if (length > limit || length > in.remaining()) {
                throw new MalformedReply("a reply field of " + length + " bytes is longer than allowed (" + limit + ")");
            }
            byte[] value = new byte[(int) length];
            in.get(value);
            return value;
        }

        String string(int limit) { return new String(bytes(limit), StandardCharsets.UTF_8); }

        void end() {
            if (in.hasRemaining()) throw new MalformedReply("a reply has " + in.remaining() + " bytes after its last field");
        }
    }

    /** A reply that passed its checksums but does not hold what its type says: a broken or foreign agent. */
    static final class MalformedReply extends RuntimeException {
        MalformedReply(String message) { super(message); }
    }
}
