package dev.slice.emulator.devices;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a virtio block device reads and writes: a plain image file, or a copy-on-write {@link CowOverlay}
 * over a template image. Offsets and lengths are in bytes; the device keeps them inside {@link #size()}.
 */
public interface BlockStore extends Closeable {
    long size();

    void read(long offset, byte[] buffer, int at, int length) throws IOException;

    void write(long offset, byte[] buffer, int at, int length) throws IOException;

    /** Makes every write so far durable (the guest's flush request). */
    void flush() throws IOException;

    /** An overlay file (recognised by its header) opens as {@link CowOverlay}, anything else as a raw image. */
    static BlockStore open(Path image, boolean readOnly) throws IOException {
        if (CowOverlay.isOverlay(image)) return CowOverlay.open(image);
        return new RawImage(image, readOnly);
    }

    /** A raw disk image: byte n of the disk is byte n of the file. */
    final class RawImage implements BlockStore {
        private final FileChannel file;
        private final long size;

        RawImage(Path image, boolean readOnly) throws IOException {
            file = readOnly ? FileChannel.open(image, StandardOpenOption.READ)
                    : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = file.size();
        }

        @Override public long size() { return size; }

        @Override
        public void read(long offset, byte[] buffer, int at, int length) throws IOException {
            readFully(file, offset, buffer, at, length);
        }

        @Override
        public void write(long offset, byte[] buffer, int at, int length) throws IOException {
            writeFully(file, offset, buffer, at, length);
        }

        @Override public void flush() throws IOException { file.force(false); }

        @Override public void close() throws IOException { file.close(); }
    }

    /** Reads exactly {@code length} bytes; past the end of the file reads zeros (a sparse or short file). */
    static void readFully(FileChannel file, long offset, byte[] buffer, int at, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, at, length);
        while (bb.hasRemaining()) {
            if (file.read(bb, offset + (bb.position() - at)) < 0) {
                java.util.Arrays.fill(buffer, bb.position(), at + length, (byte) 0);
                return;
            }
        }
    }

    static void writeFully(FileChannel file, long offset, byte[] buffer, int at, int length) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, at, length);
        while (bb.hasRemaining()) file.write(bb, offset + (bb.position() - at));
    }
}
