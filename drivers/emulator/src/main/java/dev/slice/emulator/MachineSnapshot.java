package dev.slice.emulator;

import dev.slice.emulator.cpu.Hart;
import dev.slice.emulator.cpu.HartState;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A whole machine on disk, for suspend and resume: the machine's shape (RAM size, harts, which devices it has),
 * its clock (mtime), every hart ({@link HartState}: registers, CSRs, pending interrupts, reservation, WFI), the
 * devices (CLINT, PLIC, both UARTs with their receive FIFOs, the virtio disk and network card's transports and
 * queue positions, the SBI's timers) and RAM, compressed, zero pages left out. The disk's contents are the disk
 * file itself: every request was written through before the machine stopped.
 * <p>
 * Saved only while the machine does not run ({@link Machine#requestSuspend} then {@link Machine#run} returned),
 * restored into a freshly built machine of the same shape before it runs. The file is written aside and moved into
 * place whole, and ends with a CRC-32 of everything before it, so a torn or damaged file is refused, never half
 * restored. Restored, the guest goes on where it stopped: its clock continues from the saved mtime (it does not
 * see the time it spent suspended, as after a laptop's suspend without a clock resync).
 */
public final class MachineSnapshot {
    private static final long MAGIC = 0x534c494345534e50L; // "SLICESNP"
    private static final int VERSION = 1;
    private static final int PAGE = 4096;

    private MachineSnapshot() { }

    /** Writes the stopped machine's state to {@code file} (replacing it whole). */
    public static void save(Machine m, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        CRC32 crc = new CRC32();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            OutputStream raw = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
            CheckedOutputStream checked = new CheckedOutputStream(raw, crc);
            DataOutputStream header = new DataOutputStream(checked);
            header.writeLong(MAGIC);
            header.writeInt(VERSION);
            header.writeInt(HartState.VERSION);
            writeShape(m, header);
            header.writeLong(m.mtime());
            header.flush();
            DeflaterOutputStream zipped = new DeflaterOutputStream(checked, deflater, 1 << 16);
            DataOutputStream out = new DataOutputStream(zipped);
            out.write(state(m));
            writeRam(m.memory().ram, out);
            out.flush();
            zipped.finish();
            new DataOutputStream(raw).writeLong(crc.getValue());
            raw.flush();
            channel.force(true);
        } finally {
            deflater.end();
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Restores {@code file} into {@code m}, a machine of the same shape that has not run yet. */
    public static void restore(Machine m, Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) throw new IOException(file + " is not a machine snapshot (" + all.length + " bytes)");
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = new DataInputStream(new java.io.ByteArrayInputStream(all, all.length - 8, 8)).readLong();
        if (stored != crc.getValue()) throw new IOException(file + " is damaged (its CRC-32 does not match): not resumed");
        InputStream body = new java.io.ByteArrayInputStream(all, 0, all.length - 8);
        DataInputStream header = new DataInputStream(body);
        if (header.readLong() != MAGIC) throw new IOException(file + " is not a machine snapshot");
        int version = header.readInt(), hartVersion = header.readInt();
        if (version != VERSION || hartVersion != HartState.VERSION) {
            throw new IOException(file + " is a snapshot of format " + version + "." + hartVersion + "; this emulator reads "
                    + VERSION + "." + HartState.VERSION);
        }
        String saved = readShape(header), now = shape(m);
        if (!saved.equals(now)) throw new IOException(file + " is of a machine with " + saved + "; this one has " + now);
        long mtime = header.readLong();
        DataInputStream in = new DataInputStream(new BufferedInputStream(new InflaterInputStream(body), 1 << 16));
        try {
            restoreState(m, in);
            readRam(m.memory().ram, in);
        } catch (EOFException e) {
            throw new IOException(file + " ends early: not resumed", e);
        }
        m.resumeClock(mtime);
    }

    /** The harts' and devices' state (everything but the clock and RAM) as bytes: what a round trip must keep. */
    static byte[] state(Machine m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Hart h : m.harts()) HartState.save(h, out);
        m.clint.saveState(out);
        m.plic.saveState(out);
        m.uart.saveState(out);
        if (m.agentUart != null) m.agentUart.saveState(out);
        if (m.disk != null) m.disk.saveState(out);
        if (m.net != null) m.net.saveState(out);
        if (m.sbi != null) m.sbi.saveState(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void restoreState(Machine m, DataInputStream in) throws IOException {
        for (Hart h : m.harts()) HartState.restore(h, in);
        m.clint.restoreState(in);
        m.plic.restoreState(in);
        m.uart.restoreState(in);
        if (m.agentUart != null) m.agentUart.restoreState(in);
        if (m.disk != null) m.disk.restoreState(in);
        if (m.net != null) m.net.restoreState(in);
        if (m.sbi != null) m.sbi.restoreState(in);
    }

    /** What must match for a snapshot to fit a machine: the devices' state is only meaningful on the same board. */
    private static String shape(Machine m) {
        return (m.memory().ramSize >> 20) + " MiB of RAM, " + m.harts().size() + " hart(s), " + (m.disk != null ? "a" : "no")
                + " disk, " + (m.net != null ? "a" : "no") + " network card, " + (m.agentUart != null ? "an" : "no")
                + " agent line, " + (m.sbi != null ? "the Java SBI" : "no Java SBI");
    }

    private static void writeShape(Machine m, DataOutputStream out) throws IOException { out.writeUTF(shape(m)); }

    private static String readShape(DataInputStream in) throws IOException { return in.readUTF(); }

    /** A bitmap of the pages that are not all zeros, then those pages. */
    private static void writeRam(byte[] ram, DataOutputStream out) throws IOException {
        int pages = ram.length / PAGE;
        long[] used = new long[(pages + 63) / 64];
        for (int p = 0; p < pages; p++) if (!zero(ram, p * PAGE)) used[p >>> 6] |= 1L << p;
        out.writeInt(pages);
        for (long word : used) out.writeLong(word);
        for (int p = 0; p < pages; p++) if ((used[p >>> 6] & (1L << p)) != 0) out.write(ram, p * PAGE, PAGE);
    }

    private static void readRam(byte[] ram, DataInputStream in) throws IOException {
        int pages = in.readInt();
        if (pages != ram.length / PAGE) throw new IOException("the snapshot holds " + pages + " pages of RAM, not " + ram.length / PAGE);
        long[] used = new long[(pages + 63) / 64];
        for (int i = 0; i < used.length; i++) used[i] = in.readLong();
        for (int p = 0; p < pages; p++) {
            if ((used[p >>> 6] & (1L << p)) != 0) in.readFully(ram, p * PAGE, PAGE);
            else java.util.Arrays.fill(ram, p * PAGE, (p + 1) * PAGE, (byte) 0);
        }
    }

    private static boolean zero(byte[] ram, int at) {
        return java.util.Arrays.mismatch(ram, at, at + PAGE, ZERO_PAGE, 0, PAGE) < 0;
    }

    private static final byte[] ZERO_PAGE = new byte[PAGE];
}
