package dev.slice.emulator.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a flattened device tree blob (version 17) node by node. */
public final class FdtBuilder {
    private static final int BEGIN_NODE = 1, END_NODE = 2, PROP = 3, END = 9;
    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();
    private int depth;

    public FdtBuilder beginNode(String name) {
        word(struct, BEGIN_NODE);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        struct.writeBytes(n);
        struct.write(0);
        pad();
        depth++;
        return this;
    }

    public FdtBuilder endNode() {
        if (depth == 0) throw new IllegalStateException("endNode without beginNode");
        word(struct, END_NODE);
        depth--;
        return this;
    }

    public FdtBuilder prop(String name, byte[] value) {
        word(struct, PROP);
        word(struct, value.length);
        word(struct, stringOffset(name));
        struct.writeBytes(value);
        pad();
        return this;
    }

    public FdtBuilder prop(String name) { return prop(name, new byte[0]); }

    /** One or more 32-bit cells. */
    public FdtBuilder cells(String name, int... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (int c : cells) b.putInt(c);
        return prop(name, b.array());
    }

    /** 64-bit values, each as two cells. */
    public FdtBuilder longs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (long v : values) b.putLong(v);
        return prop(name, b.array());
    }

    /** A string list (one or more NUL-terminated strings). */
    public FdtBuilder string(String name, String... values) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (String v : values) { o.writeBytes(v.getBytes(StandardCharsets.UTF_8)); o.write(0); }
        return prop(name, o.toByteArray());
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, k -> {
            int off = strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return off;
        });
    }

    private void pad() { while (struct.size() % 4 != 0) struct.write(0); }

    private static void word(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24); o.write(v >>> 16); o.write(v >>> 8); o.write(v);
    }

    public byte[] build() {
        if (depth != 0) throw new IllegalStateException(depth + " nodes left open");
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(struct.toByteArray());
        word(s, END);
        byte[] structBytes = s.toByteArray();
        byte[] stringBytes = strings.toByteArray();
        int headerSize = 40, rsvSize = 16;
        int offStruct = headerSize + rsvSize;
        int offStrings = offStruct + structBytes.length;
        int total = offStrings + stringBytes.length;
        ByteBuffer b = ByteBuffer.allocate((total + 7) & ~7);
        b.putInt(0xd00dfeed).putInt(b.capacity()).putInt(offStruct).putInt(offStrings).putInt(headerSize)
                .putInt(17).putInt(16).putInt(0).putInt(stringBytes.length).putInt(structBytes.length);
        b.putLong(0).putLong(0); // empty memory reservation map
        b.put(structBytes).put(stringBytes);
        return b.array();
    }
}
