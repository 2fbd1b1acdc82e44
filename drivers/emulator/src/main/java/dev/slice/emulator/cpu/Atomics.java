package dev.slice.emulator.cpu;

import static dev.slice.emulator.cpu.Csr.LOAD_MISALIGNED;
import static dev.slice.emulator.cpu.Csr.STORE_MISALIGNED;

/**
 * The A extension, atomic across harts: AMOs are one atomic read-modify-write of RAM (a compare-and-swap loop on
 * the RAM array, which also orders like aq+rl); LR records the value it read and SC stores only if memory still
 * holds it, in one compare-and-swap (another hart's store of a different value in between makes it fail).
 * <p>The JDK's byte-array view VarHandles offer only plain access (JDK 25 rejects compare-and-set on them), so the
 * atomic accesses use {@code sun.misc.Unsafe} on the same array, at naturally aligned offsets (the array data
 * starts 8-byte aligned); the launcher allows it without the JDK's warning. Moving RAM to an aligned
 * {@code MemorySegment} would remove that.
 */
final class Atomics {
    private static final sun.misc.Unsafe UNSAFE;
    private static final long BASE;

    static {
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            UNSAFE = (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        BASE = UNSAFE.arrayBaseOffset(byte[].class);
        if ((BASE & 7) != 0) throw new ExceptionInInitializerError("byte[] data is not 8-byte aligned: " + BASE);
    }

    private Atomics() { }

    static void loadReserved(Hart h, int rd, int rs1, int size) {
        long va = h.x[rs1];
        h.watchData(Triggers.LOAD, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(LOAD_MISALIGNED, va);
        long pa = h.translate(va, Hart.READ);
        int o = ramOffset(h, pa, size);
        long v = o < 0 ? h.physRead(pa, size, va) : size == 4 ? UNSAFE.getIntVolatile(h.ram, BASE + o) : UNSAFE.getLongVolatile(h.ram, BASE + o);
        h.reservation = va;
        h.reservedValue = v;
        h.x[rd] = size == 4 ? (int) v : v;
    }

    static void storeConditional(Hart h, int rd, int rs1, int rs2, int size) {
        long va = h.x[rs1];
        h.watchData(Triggers.STORE, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(STORE_MISALIGNED, va);
        long pa = h.translate(va, Hart.WRITE);
        boolean ok = h.reservation == va;
        if (ok) {
            int o = ramOffset(h, pa, size);
            long src = h.x[rs2];
            if (o < 0) h.physWrite(pa, size, src, va);
            else {
                ok = size == 4 ? UNSAFE.compareAndSwapInt(h.ram, BASE + o, (int) h.reservedValue, (int) src)
                        : UNSAFE.compareAndSwapLong(h.ram, BASE + o, h.reservedValue, src);
                if (ok) h.mem.ramWritten(o, size);
            }
        }
        h.reservation = -1;
        h.x[rd] = ok ? 0 : 1;
    }

    /** {@code f5} is the AMO's funct5 (the decoder has checked it). AMOs fault as stores. */
    static void amo(Hart h, int rd, int rs1, int rs2, int size, int f5) {
        long va = h.x[rs1];
        long src = h.x[rs2];
        h.watchData(Triggers.LOAD | Triggers.STORE, va, size);
        if ((va & (size - 1)) != 0) throw h.trap.set(STORE_MISALIGNED, va);
        long pa = h.translate(va, Hart.WRITE);
        int o = ramOffset(h, pa, size);
        long old;
        if (o < 0) { // a device: its accesses are serialised by the device itself
            old = h.physRead(pa, size, va);
            if (size == 4) old = (int) old;
            h.physWrite(pa, size, apply(f5, old, size == 4 ? (int) src : src), va);
        } else if (size == 4) {
            int cur, nv;
            do {
                cur = UNSAFE.getIntVolatile(h.ram, BASE + o);
                nv = (int) apply(f5, cur, (int) src);
            } while (!UNSAFE.compareAndSwapInt(h.ram, BASE + o, cur, nv));
            old = cur;
            h.mem.ramWritten(o, size);
        } else {
            long cur, nv;
            do {
                cur = UNSAFE.getLongVolatile(h.ram, BASE + o);
                nv = apply(f5, cur, src);
            } while (!UNSAFE.compareAndSwapLong(h.ram, BASE + o, cur, nv));
            old = cur;
            h.mem.ramWritten(o, size);
        }
        h.x[rd] = old;
    }

    /** The RAM array offset of an aligned access, or -1 when it is not RAM. */
    private static int ramOffset(Hart h, long pa, int size) {
        long off = pa - h.ramBase;
        return off >= 0 && off <= h.ramSize - size ? (int) off : -1;
    }

    /** The new value of an AMO; 32-bit operands arrive sign-extended, so signed and unsigned order hold for them too. */
    private static long apply(int f5, long old, long src) {
        return switch (f5) {
            case 0 -> old + src;
            case 1 -> src;
            case 4 -> old ^ src;
            case 8 -> old | src;
            case 12 -> old & src;
            case 16 -> Math.min(old, src);
            case 20 -> Math.max(old, src);
            case 24 -> Long.compareUnsigned(old, src) < 0 ? old : src;
            default -> Long.compareUnsigned(old, src) > 0 ? old : src; // 28: amomaxu
        };
    }
}
