package dev.slice.emulator.devices;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.memory.Device;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;

/** NS16550A UART with a 16-byte receive FIFO; transmission completes at once. */
public final class Uart16550 implements Device {
    public static final long BASE = 0x10000000, SIZE = 0x100;
    public static final int IRQ = 10;
    private final SerialBackend backend;
    private final InterruptSink irq;
    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private int ier, lcr, mcr, scr, dll = 1, dlm;
    private boolean fifoEnabled;
    private boolean thrEmptyInterrupt;

    public Uart16550(SerialBackend backend, InterruptSink irq) {
        this.backend = backend;
        this.irq = irq;
    }

    /** Moves typed bytes into the receive FIFO; called periodically by the machine. */
    public synchronized void poll() {
        boolean got = false;
        while (rx.size() < 16) {
            int b = backend.poll();
            if (b < 0) break;
            rx.add(b);
            got = true;
        }
        if (got) update();
    }

    public void flush() { backend.flush(); }

    /** The registers and the receive FIFO's bytes, for a machine snapshot (the backend is the new process's own). */
    public synchronized void saveState(DataOutput out) throws IOException {
        for (int r : new int[] {ier, lcr, mcr, scr, dll, dlm}) out.writeInt(r);
        out.writeBoolean(fifoEnabled);
        out.writeBoolean(thrEmptyInterrupt);
        out.writeInt(rx.size());
        for (int b : rx) out.writeByte(b);
    }

    public synchronized void restoreState(DataInput in) throws IOException {
        ier = in.readInt();
        lcr = in.readInt();
        mcr = in.readInt();
        scr = in.readInt();
        dll = in.readInt();
        dlm = in.readInt();
        fifoEnabled = in.readBoolean();
        thrEmptyInterrupt = in.readBoolean();
        int n = in.readInt();
        if (n < 0 || n > 16) throw new IOException("a UART receive FIFO of " + n + " bytes");
        rx.clear();
        for (int i = 0; i < n; i++) rx.add(in.readUnsignedByte());
        update();
    }

    private void update() {
        irq.set(((ier & 1) != 0 && !rx.isEmpty()) || ((ier & 2) != 0 && thrEmptyInterrupt));
    }

    @Override
    public synchronized long read(long offset, int size) {
        boolean dlab = (lcr & 0x80) != 0;
        long v = switch ((int) offset) {
            case 0 -> {
                if (dlab) yield dll;
                Integer b = rx.poll();
                if (rx.isEmpty()) poll();
                yield b == null ? 0 : b;
            }
            case 1 -> dlab ? dlm : ier;
            case 2 -> {
                int id;
                if ((ier & 1) != 0 && !rx.isEmpty()) id = 0x04;
                else if ((ier & 2) != 0 && thrEmptyInterrupt) { id = 0x02; thrEmptyInterrupt = false; }
                else id = 0x01;
                yield id | (fifoEnabled ? 0xc0 : 0);
            }
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> 0x60 | (rx.isEmpty() ? 0 : 1);
            case 6 -> 0xb0;
            case 7 -> scr;
            default -> 0;
        };
        update();
        return v;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xff;
        boolean dlab = (lcr & 0x80) != 0;
        switch ((int) offset) {
            case 0 -> {
                if (dlab) dll = v;
                else {
                    if ((mcr & 0x10) != 0) { if (rx.size() < 16) rx.add(v); } // loopback
                    else backend.write(v);
                    thrEmptyInterrupt = true;
                }
            }
            case 1 -> {
                if (dlab) dlm = v;
                else {
                    if ((v & 2) != 0 && (ier & 2) == 0) thrEmptyInterrupt = true;
                    ier = v & 0x0f;
                }
            }
            case 2 -> {
                fifoEnabled = (v & 1) != 0;
                if ((v & 2) != 0) rx.clear();
            }
            case 3 -> lcr = v;
            case 4 -> mcr = v & 0x1f;
            case 7 -> scr = v;
            default -> { }
        }
        update();
    }
}
