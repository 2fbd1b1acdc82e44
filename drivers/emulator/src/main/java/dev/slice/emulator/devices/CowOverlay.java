package dev.slice.emulator.devices;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A copy-on-write disk: reads come from a read-only base image until a cluster is first written, then
 * from the overlay file. The overlay is sparse: a 4 KiB header (magic, cluster size, disk size, the base's
 * path, size and modification time), an allocation bitmap, then cluster {@code i} at a fixed offset, so an
 * unwritten cluster costs no space. The disk may be larger than the base (it reads zeros past the base's end).
 * <p>
 * Crash safety is that of a disk with a volatile write cache, which the guest knows to flush (the device
 * offers VIRTIO_BLK_F_FLUSH): on {@link #flush()} the cluster data is made durable <em>before</em> the bitmap
 * that points to it is written and made durable. Bits only ever go from 0 to 1, so a crash (or SIGKILL) at any
 * point leaves every cluster marked allocated holding data that was written, and loses at most the writes since
 * the guest's last flush, which it had not been promised.
 */
public final class CowOverlay implements BlockStore {
    public static final int DEFAULT_CLUSTER = 64 * 1024;
    private static final byte[] MAGIC = "SLICECOW".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER = 4096;

    private final FileChannel overlay;
    private final FileChannel base;
    private final long size, baseSize, dataOffset;
    private final int cluster;
    private final byte[] bitmap;
    private boolean bitmapDirty;
    private byte[] scratch;

    private CowOverlay(FileChannel overlay, FileChannel base, Header h, byte[] bitmap) {
        this.overlay = overlay;
        this.base = base;
        this.size = h.size;
        this.baseSize = h.baseSize;
        this.cluster = h.cluster;
        this.bitmap = bitmap;
        this.dataOffset = dataOffset(h.cluster, bitmap.length);
        this.scratch = new byte[cluster];
    }

    /** The header of an overlay file. */
    public record Header(int cluster, long size, Path basePath, long baseSize, long baseModifiedMillis) {}

    /**
     * Creates an empty overlay of {@code size} bytes over {@code base} (written aside and moved into place, so
     * a crash leaves either no overlay or a complete one). Fails if {@code overlayFile} exists.
     */
    public static void create(Path overlayFile, Path base, long size) throws IOException {
        Path realBase = base.toRealPath();
        if (size % 512 != 0) throw new IllegalArgumentException("disk size must be a multiple of 512 bytes: " + size);
        Header h = new Header(DEFAULT_CLUSTER, size, realBase, Files.size(realBase),
                Files.getLastModifiedTime(realBase).toMillis());
        byte[] path = realBase.toString().getBytes(StandardCharsets.UTF_8);
        if (path.length > HEADER - 64) throw new IllegalArgumentException("base path too long: " + realBase);
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putInt(VERSION).putInt(h.cluster).putLong(h.size).putLong(h.baseSize)
                .putLong(h.baseModifiedMillis).putInt(path.length).put(path);
        header.clear();
        Path tmp = overlayFile.resolveSibling(overlayFile.getFileName() + ".new");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (header.hasRemaining()) out.write(header, header.position());
            out.force(true);
        }
        Files.move(tmp, overlayFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static boolean isOverlay(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < MAGIC.length) return false;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
            in.read(magic, 0);
            return Arrays.equals(magic.array(), MAGIC);
        }
    }

    public static Header header(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(in, file);
        }
    }

    /**
     * Opens an overlay for reading and writing; its base must be the very file it was made over. The overlay is
     * locked while open (the lock dies with the process), so two machines can never write one guest disk.
     */
    public static CowOverlay open(Path file) throws IOException {
        FileChannel overlay = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (overlay.tryLock() == null) throw new IOException("disk overlay " + file + " is in use by another machine");
            Header h = readHeader(overlay, file);
            if (!Files.isRegularFile(h.basePath) || Files.size(h.basePath) != h.baseSize
                    || Files.getLastModifiedTime(h.basePath).toMillis() != h.baseModifiedMillis) {
                throw new IOException("the base image " + h.basePath + " of disk overlay " + file
                        + " is missing or changed since the overlay was made; restore it or reinstall the guest");
            }
            byte[] bitmap = new byte[bitmapBytes(h.size, h.cluster)];
            BlockStore.readFully(overlay, HEADER, bitmap, 0, bitmap.length);
            return new CowOverlay(overlay, FileChannel.open(h.basePath, StandardOpenOption.READ), h, bitmap);
        } catch (java.nio.channels.OverlappingFileLockException e) {
            overlay.close();
            throw new IOException("disk overlay " + file + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            overlay.close();
            throw e;
        }
    }

    private static Header readHeader(FileChannel in, Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && in.read(b, b.position()) > 0) { }
        b.flip();
        byte[] magic = new byte[MAGIC.length];
        if (b.remaining() < 44) throw new IOException(file + " is not a Slice disk overlay (short header)");
        b.get(magic);
        int version = b.getInt();
        if (!Arrays.equals(magic, MAGIC) || version != VERSION) throw new IOException(file + " is not a Slice disk overlay v" + VERSION);
        int cluster = b.getInt();
        long size = b.getLong(), baseSize = b.getLong(), baseModified = b.getLong();
        int pathLength = b.getInt();
        if (cluster < 512 || Integer.bitCount(cluster) != 1 || size <= 0 || pathLength <= 0 || pathLength > b.remaining()) {
            throw new IOException(file + ": damaged disk overlay header");
        }
        byte[] path = new byte[pathLength];
        b.get(path);
        return new Header(cluster, size, Path.of(new String(path, StandardCharsets.UTF_8)), baseSize, baseModified);
    }

    private static int bitmapBytes(long size, int cluster) {
        long clusters = (size + cluster - 1) / cluster;
        return Math.toIntExact((clusters + 7) / 8);
    }

    private static long dataOffset(int cluster, int bitmapLength) {
        long end = HEADER + bitmapLength;
        return (end + cluster - 1) / cluster * cluster;
    }

    @Override
    public long size() { return size; }

    /** Clusters written so far (tests, statistics). */
    public long allocatedClusters() {
        long n = 0;
        for (byte b : bitmap) n += Integer.bitCount(b & 0xff);
        return n;
    }

    private boolean allocated(long c) { return (bitmap[(int) (c >>> 3)] & (1 << (c & 7))) != 0; }

    @Override
    public synchronized void read(long offset, byte[] buffer, int at, int length) throws IOException {
        check(offset, length);
        while (length > 0) {
            long c = offset / cluster;
            int within = (int) (offset % cluster);
            int n = Math.min(length, cluster - within);
            if (allocated(c)) BlockStore.readFully(overlay, dataOffset + c * cluster + within, buffer, at, n);
            else readBase(offset, buffer, at, n);
            offset += n;
            at += n;
            length -= n;
        }
    }

    private void readBase(long offset, byte[] buffer, int at, int n) throws IOException {
        int fromBase = (int) Math.max(0, Math.min(n, baseSize - offset));
        if (fromBase > 0) BlockStore.readFully(base, offset, buffer, at, fromBase);
        Arrays.fill(buffer, at + fromBase, at + n, (byte) 0);
    }

    @Override
    public synchronized void write(long offset, byte[] buffer, int at, int length) throws IOException {
        check(offset, length);
        while (length > 0) {
            long c = offset / cluster;
            int within = (int) (offset % cluster);
            int n = Math.min(length, cluster - within);
            long clusterAt = dataOffset + c * cluster;
            if (allocated(c)) {
                BlockStore.writeFully(overlay, clusterAt + within, buffer, at, n);
            } else {
                // First write to this cluster: copy it up whole, so the bitmap never points at half a cluster.
                if (n < cluster) readBase(c * cluster, scratch, 0, cluster);
                System.arraycopy(buffer, at, scratch, within, n);
                BlockStore.writeFully(overlay, clusterAt, scratch, 0, cluster);
                bitmap[(int) (c >>> 3)] |= (byte) (1 << (c & 7));
                bitmapDirty = true;
            }
            offset += n;
            at += n;
            length -= n;
        }
    }

    private void check(long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IOException("access [" + offset + ", +" + length + ") outside the disk of " + size + " bytes");
        }
    }

    /** Data first, then the bitmap that points to it. */
    @Override
    public synchronized void flush() throws IOException {
        overlay.force(false);
        if (!bitmapDirty) return;
        BlockStore.writeFully(overlay, HEADER, bitmap, 0, bitmap.length);
        overlay.force(false);
        bitmapDirty = false;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            overlay.close();
            base.close();
        }
    }
}
