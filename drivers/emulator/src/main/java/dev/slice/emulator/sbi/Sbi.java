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
    private volatile long timerCompare = -1;

    public Sbi(PhysicalMemory mem, SerialBackend console, Platform platform) {
        this.mem = mem;
        this.console = console;
        this.platform = platform;
    }

    /** The supervisor timer deadline in mtime ticks (unsigned; -1 = none). */
    public long timerCompare() { return timerCompare; }

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
            if (fid == 0) { if (targetsHart0(a0, a1)) h.raiseSupervisorSoftwareInterrupt(); } else err = NOT_SUPPORTED;
        } else if (ext == EXT_RFENCE) {
            if (fid <= 6) h.flushTranslations(); else err = NOT_SUPPORTED;
        } else if (ext == EXT_HSM) {
            switch ((int) fid) {
                case 0 -> err = a0 == 0 ? ALREADY_AVAILABLE : INVALID_PARAM; // hart_start
                case 1 -> err = FAILED; // hart_stop: the only hart keeps running
                case 2 -> { if (a0 == 0) value = 0; else err = INVALID_PARAM; } // hart_get_status: started
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

    private static boolean targetsHart0(long mask, long base) {
        if (base == -1) return true;
        return base == 0 && (mask & 1) != 0;
    }

    private boolean probe(long ext) {
        return ext == EXT_BASE || ext == EXT_TIME || ext == EXT_IPI || ext == EXT_RFENCE || ext == EXT_HSM
                || ext == EXT_SRST || ext == EXT_DBCN || (ext >= 0 && ext <= 8);
    }

    private void setTimer(Hart h, long when) {
        timerCompare = when;
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
        long cmp = timerCompare;
        if (cmp != -1 && Long.compareUnsigned(h.time(), cmp) >= 0) {
            h.setSupervisorTimerPending(true);
            timerCompare = -1;
        }
    }
}
