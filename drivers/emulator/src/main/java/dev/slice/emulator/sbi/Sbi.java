package dev.slice.emulator.sbi;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.cpu.Hart;
import dev.slice.emulator.memory.PhysicalMemory;

/**
 * The supervisor binary interface implemented in Java, in place of M-mode firmware: the kernel's
 * ecalls are answered here. Extensions: BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN and the legacy calls.
 */
public final class Sbi implements Hart.EcallHandler {
    static final long EXT_BASE = 0x10, EXT_TIME = 0x54494D45, EXT_IPI = 0x735049, EXT_RFENCE = 0x52464E43;
    static final long EXT_HSM = 0x48534D, EXT_SRST = 0x53525354, EXT_DBCN = 0x4442434E;
    static final long SUCCESS = 0, FAILED = -1, NOT_SUPPORTED = -2, INVALID_PARAM = -3, ALREADY_AVAILABLE = -6;
    public static final long IMPLEMENTATION_ID = 0x51CE;

    /** What the SBI needs from the machine around it. */
    public interface Platform {
        void powerOff(int exitCode);
        void reset();
    }

    private final PhysicalMemory mem;
    private final SerialBackend console;
    private final Platform platform;
    /** The harts the machine has ({@link #attach}); until then the calling hart is taken as the only one. */
    private volatile Hart[] harts;
    /** Per hart: the supervisor timer deadline in mtime ticks (unsigned; -1 = none). */
    private volatile long[] timerCompare = {-1};
    /** How long a remote fence waits for the other harts to have done it (they do it at their next batch). */
    private static final long FENCE_WAIT_NANOS = 200_000_000L;

    public Sbi(PhysicalMemory mem, SerialBackend console, Platform platform) {
        this.mem = mem;
        this.console = console;
        this.platform = platform;
    }

    /** Tells the SBI the machine's harts, by hart id. */
    public void attach(Hart... all) {
        long[] t = new long[all.length];
        java.util.Arrays.fill(t, -1);
        timerCompare = t;
        harts = all.clone();
    }

    /** Each hart's supervisor timer deadline, for a machine snapshot. */
    public void saveState(java.io.DataOutput out) throws java.io.IOException {
        long[] t = timerCompare;
        out.writeInt(t.length);
        for (long v : t) out.writeLong(v);
    }

    public void restoreState(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n != timerCompare.length) throw new java.io.IOException("the SBI state is for " + n + " harts, not " + timerCompare.length);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = in.readLong();
        timerCompare = t;
    }

    /** Hart 0's supervisor timer deadline in mtime ticks (unsigned; -1 = none). */
    public long timerCompare() { return timerCompare[0]; }

    public long timerCompare(int hart) { return timerCompare[hart]; }

    private Hart[] harts(Hart caller) {
        Hart[] all = harts;
        return all != null ? all : new Hart[] {caller};
    }

    @Override
    public boolean ecall(Hart h) {
        long ext = h.x(17), fid = h.x(16);
        long a0 = h.x(10), a1 = h.x(11), a2 = h.x(12);
        if (ext < 0x10) return legacy(h, (int) ext, a0);
        long err = SUCCESS, value = 0;
        if (ext == EXT_BASE) {
            switch ((int) fid) {
                case 0 -> value = 2L << 24; // SBI 2.0
                case 1 -> value = IMPLEMENTATION_ID;
                case 2 -> value = 1;
                case 3 -> value = probe(a0) ? 1 : 0;
                case 4, 5, 6 -> value = 0;
                default -> err = NOT_SUPPORTED;
            }
        } else if (ext == EXT_TIME) {
            if (fid == 0) setTimer(h, a0); else err = NOT_SUPPORTED;
        } else if (ext == EXT_IPI) {
            if (fid == 0) err = sendIpi(h, a0, a1); else err = NOT_SUPPORTED;
        } else if (ext == EXT_RFENCE) {
            if (fid <= 6) err = remoteFence(h, a0, a1); else err = NOT_SUPPORTED;
        } else if (ext == EXT_HSM) {
            Hart[] all = harts(h);
            switch ((int) fid) {
                case 0 -> { // hart_start(hartid, start_addr, opaque)
                    if (a0 < 0 || a0 >= all.length) err = INVALID_PARAM;
                    else if (!all[(int) a0].mailbox().requestStart(a1, a2)) err = ALREADY_AVAILABLE;
                }
                case 1 -> { if (all.length > 1) h.mailbox().stop(); else err = FAILED; } // hart_stop: not the only hart
                case 2 -> { if (a0 >= 0 && a0 < all.length) value = all[(int) a0].mailbox().state(); else err = INVALID_PARAM; }
                default -> err = NOT_SUPPORTED;
            }
        } else if (ext == EXT_SRST) {
            if (fid == 0 && a0 <= 2) {
                if (a0 == 0) platform.powerOff(a1 == 0 ? 0 : 1); else platform.reset();
            } else err = fid == 0 ? INVALID_PARAM : NOT_SUPPORTED;
        } else if (ext == EXT_DBCN) {
            switch ((int) fid) {
                case 0 -> { // console_write(num_bytes, base_lo, base_hi)
                    long base = a1;
                    if (!mem.isRam(base, (int) Math.max(1, Math.min(a0, Integer.MAX_VALUE)))) err = INVALID_PARAM;
                    else { for (long i = 0; i < a0; i++) console.write((int) mem.read(base + i, 1)); console.flush(); value = a0; }
                }
                case 1 -> { // console_read
                    long base = a1, n = 0;
                    while (n < a0 && mem.isRam(base + n, 1)) { int b = console.poll(); if (b < 0) break; mem.write(base + n, 1, b); n++; }
                    value = n;
                }
                case 2 -> { console.write((int) (a0 & 0xff)); }
                default -> err = NOT_SUPPORTED;
            }
        } else {
            err = NOT_SUPPORTED;
        }
        h.setX(10, err);
        h.setX(11, value);
        return true;
    }

    /** The harts named by an SBI hart mask (base -1: all of them); null when it names a hart that does not exist. */
    private Hart[] targets(Hart caller, long mask, long base) {
        Hart[] all = harts(caller);
        if (base == -1) return all;
        if (base < 0 || base >= all.length) return null;
        java.util.List<Hart> out = new java.util.ArrayList<>();
        for (int b = 0; b < 64; b++) {
            if ((mask & (1L << b)) == 0) continue;
            if (base + b >= all.length) return null;
            out.add(all[(int) (base + b)]);
        }
        return out.toArray(Hart[]::new);
    }

    private long sendIpi(Hart h, long mask, long base) {
        Hart[] to = targets(h, mask, base);
        if (to == null) return INVALID_PARAM;
        for (Hart t : to) {
            if (t == h) h.raiseSupervisorSoftwareInterrupt(); else t.mailbox().postSoftwareInterrupt();
        }
        return SUCCESS;
    }

    /** fence.i and sfence.vma on other harts: each does it at its next batch; the call returns when they have. */
    private long remoteFence(Hart h, long mask, long base) {
        Hart[] to = targets(h, mask, base);
        if (to == null) return INVALID_PARAM;
        for (Hart t : to) {
            if (t == h) h.flushTranslations(); else t.mailbox().requestFlush();
        }
        long deadline = System.nanoTime() + FENCE_WAIT_NANOS;
        int spins = 0;
        boolean ranOut = false;
        for (Hart t : to) {
            // a hart outside a batch (asleep in WFI, stopped) flushes before its next instruction; a running one ends its batch
            while (t != h && t.mailbox().mustWaitForFlush() && System.nanoTime() < deadline) {
                // the target may itself be waiting here for this hart's fence: serve it, or both wait out the deadline
                h.mailbox().serveFlushWhileWaiting();
                // the target needs a host CPU to get there: on a host with few cores, give ours up now and then
                if ((++spins & 15) == 0) Thread.yield(); else Thread.onSpinWait();
            }
            ranOut |= t != h && t.mailbox().mustWaitForFlush();
        }
        if (ranOut) h.mailbox().fenceWaitTimedOut();
        return SUCCESS;
    }

    private boolean probe(long ext) {
        return ext == EXT_BASE || ext == EXT_TIME || ext == EXT_IPI || ext == EXT_RFENCE || ext == EXT_HSM
                || ext == EXT_SRST || ext == EXT_DBCN || (ext >= 0 && ext <= 8);
    }

    private void setTimer(Hart h, long when) {
        timerCompare[h.hartId()] = when;
        h.setSupervisorTimerPending(Long.compareUnsigned(h.time(), when) >= 0);
    }

    private boolean legacy(Hart h, int ext, long a0) {
        switch (ext) {
            case 0 -> { setTimer(h, a0); h.setX(10, 0); }
            case 1 -> { console.write((int) (a0 & 0xff)); h.setX(10, 0); }
            case 2 -> h.setX(10, console.poll());
            case 3 -> { h.setX(10, 0); } // clear_ipi: SSIP is cleared by the kernel itself
            case 4 -> { h.raiseSupervisorSoftwareInterrupt(); h.setX(10, 0); }
            case 5, 6, 7 -> { h.flushTranslations(); h.setX(10, 0); }
            case 8 -> platform.powerOff(0);
            default -> h.setX(10, NOT_SUPPORTED);
        }
        return true;
    }

    /** Raises STIP when the deadline has passed; called periodically by the machine. */
    public void tick(Hart h) {
        long[] t = timerCompare;
        long cmp = t[h.hartId()];
        if (cmp != -1 && Long.compareUnsigned(h.time(), cmp) >= 0) {
            h.setSupervisorTimerPending(true);
            t[h.hartId()] = -1;
        }
    }
}
