package dev.slice.emulator.cpu;

import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.mmu.Mmu;
import dev.slice.emulator.mmu.Tlb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

import static dev.slice.emulator.cpu.Csr.*;

/**
 * One RV64IMAFDC hart with Zicsr, Zifencei, M/S/U modes and Sv39/Sv48 paging.
 * An interpreter: instructions are decoded from a per-page cache of expanded instruction words.
 */
public final class Hart {
    public static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int READ = Tlb.READ, WRITE = Tlb.WRITE, EXEC = Tlb.EXEC;
    /** Access size and sign-extension shift of each decoded load, size of each decoded store, by operation. */
    private static final int[] LOAD_SIZE = new int[64], LOAD_SHIFT = new int[64], STORE_SIZE = new int[64];

    static {
        int[] ops = {Decoded.LB, Decoded.LH, Decoded.LW, Decoded.LD, Decoded.LBU, Decoded.LHU, Decoded.LWU};
        int[] sizes = {1, 2, 4, 8, 1, 2, 4};
        for (int i = 0; i < ops.length; i++) {
            LOAD_SIZE[ops[i]] = sizes[i];
            LOAD_SHIFT[ops[i]] = i < 3 ? 64 - 8 * sizes[i] : 0;
        }
        STORE_SIZE[Decoded.SB] = 1;
        STORE_SIZE[Decoded.SH] = 2;
        STORE_SIZE[Decoded.SW] = 4;
        STORE_SIZE[Decoded.SD] = 8;
    }

    /** Handles an environment call from S-mode in place of M-mode firmware; returns false to trap normally. */
    public interface EcallHandler { boolean ecall(Hart hart); }

    final long[] x = new long[33]; // x[32] takes the writes to x0 from the decoded fast path
    final long[] f = new long[32];
    long pc;
    int priv = PRIV_M;
    private final Fpu fpu = Fpu.create();
    int frm;

    private final PhysicalMemory mem;
    private final byte[] ram;
    private final long ramBase, ramSize;
    private final LongSupplier timer;
    private final Trap trap = new Trap();
    private EcallHandler ecallHandler;

    // CSRs
    long mstatus = UXL_SXL, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval, mcounteren, menvcfg;
    long stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg, mcountinhibit;
    private final long[] pmpcfg = new long[16];
    private final long[] pmpaddr = new long[64];
    /** Interrupt lines driven by devices (MSIP, MTIP, MEIP, SEIP). */
    private volatile long hwIp;
    long instret;
    private long cycleOffset, instretOffset;

    // LR/SC
    private long reservation = -1;

    // translation state, recomputed when privilege, mstatus or satp change
    private boolean translateData, translateFetch;
    private final Tlb tlb = new Tlb();
    private final Mmu mmu;
    private int effectiveDataPriv;

    // fetch: the current page's RAM offset
    private long fetchVpn = -1;
    private int fetchOff;

    private boolean recheck;
    private final Decoded[] decoded;
    private volatile boolean kicked;
    private boolean waiting;
    private long insnBits; // the raw bits of the instruction being executed, for illegal-instruction tval

    public Hart(PhysicalMemory mem, LongSupplier timer) {
        this.mem = mem;
        this.ram = mem.ram;
        this.ramBase = mem.ramBase;
        this.ramSize = mem.ramSize;
        this.timer = timer;
        this.mmu = new Mmu(mem, tlb);
        this.decoded = new Decoded[(int) (mem.ramSize >>> 12) + 1];
        mem.onCodeWrite(page -> { decoded[page] = null; fetchVpn = -1; });
        flushTlb();
    }

    public void setEcallHandler(EcallHandler h) { this.ecallHandler = h; }

    // ---------------- public state access ----------------
    public long x(int i) { return x[i]; }
    public void setX(int i, long v) { if (i != 0) x[i] = v; }
    public long pc() { return pc; }
    public void setPc(long v) { pc = v; }
    public int privilege() { return priv; }
    public long instret() { return instret; }
    public boolean isWaiting() { return waiting; }
    public long time() { return timer.getAsLong(); }

    public void setPrivilege(int p) { priv = p; modeChanged(); }

    /** Sets up machine-mode state the way M-mode firmware leaves it before entering an S-mode kernel. */
    public void bootSupervisor(long entry, long a0, long a1) {
        medeleg = (1L << INSN_MISALIGNED) | (1L << INSN_ACCESS) | (1L << ILLEGAL) | (1L << BREAKPOINT)
                | (1L << LOAD_MISALIGNED) | (1L << LOAD_ACCESS) | (1L << STORE_MISALIGNED) | (1L << STORE_ACCESS)
                | (1L << ECALL_U) | (1L << INSN_PAGE_FAULT) | (1L << LOAD_PAGE_FAULT) | (1L << STORE_PAGE_FAULT);
        mideleg = S_INTERRUPTS;
        mcounteren = 7;
        scounteren = 7;
        x[10] = a0;
        x[11] = a1;
        pc = entry;
        priv = PRIV_S;
        modeChanged();
    }

    /** Sets or clears an interrupt-pending bit driven by a device (bit number as in mip). */
    public void setInterruptLine(int bit, boolean level) {
        synchronized (this) {
            if (level) hwIp |= 1L << bit; else hwIp &= ~(1L << bit);
        }
        recheck = true;
    }

    /** Raises or lowers STIP, as M-mode firmware does for the supervisor timer. */
    public void setSupervisorTimerPending(boolean pending) {
        if (pending) mip |= 1L << STI; else mip &= ~(1L << STI);
        recheck = true;
    }

    /** Raises SSIP, as firmware does for an inter-processor interrupt to this hart. */
    public void raiseSupervisorSoftwareInterrupt() {
        mip |= 1L << SSI;
        recheck = true;
    }

    /** Drops every cached translation and decoded instruction (remote fences). */
    public void flushTranslations() { flushTlb(); }

    /** Makes {@link #run} return soon; callable from any thread. */
    public void kick() {
        kicked = true;
        recheck = true;
    }

    public long pendingInterrupts() { return (mip | hwIp) & mie; }

    // ---------------- execution loop ----------------
    /**
     * Executes up to {@code max} instructions; returns early when the hart waits for an interrupt
     * or an interrupt/state change needs attention. Returns the number retired.
     */
    public long run(long max) {
        long start = instret;
        long limit = start + max;
        recheck = false;
        kicked = false;
        if (waiting) {
            if (pendingInterrupts() == 0) return 0;
            waiting = false;
        }
        while (instret < limit && !kicked) {
            try {
                if (checkInterrupts()) continue;
                if (waiting) break;
                recheck = false;
                runDecoded(limit - instret);
                if (waiting) break;
            } catch (Trap t) {
                takeTrap(t.cause, t.tval, false);
            }
        }
        return instret - start;
    }

    /**
     * The hot loop: instructions come from the decoded page of the current pc; common operations are
     * executed here, the rest by {@link #execute}. Leaves when {@code recheck} is set (CSR writes,
     * mode changes, device writes) so interrupts are looked at promptly.
     */
    private void runDecoded(long max) {
        final long[] x = this.x;
        int[] desc = null, imm = null;
        Decoded page = null;
        int pageOff = 0;
        long n = 0; // retired since instret was last brought up to date
        long end = instret + max;
        long pc = this.pc; // kept in a local; written back before anything that may trap or look at it
        try {
            while (instret + n < end) {
                if ((pc >>> 12) != fetchVpn || desc == null) {
                    this.pc = pc;
                    long pa = translate(pc, EXEC);
                    long off = pa - ramBase;
                    if (off < 0 || off >= ramSize) throw trap.set(INSN_ACCESS, pc);
                    int p = (int) (off >>> 12);
                    page = decoded[p];
                    if (page == null) { page = new Decoded(); decoded[p] = page; mem.markCode((int) off); }
                    desc = page.desc;
                    imm = page.imm;
                    pageOff = p << 12;
                    fetchVpn = pc >>> 12;
                    fetchOff = pageOff;
                }
                int idx = ((int) pc & 0xfff) >>> 1;
                int d = desc[idx];
                if (d == 0) {
                    int o = pageOff + (idx << 1);
                    d = page.decode(idx, (short) SHORT.get(ram, o) & 0xffff, idx < 2047 ? (int) INT.get(ram, o) : 0);
                }
                int rd = (d >>> 8) & 63, rs1 = (d >>> 14) & 31, rs2 = (d >>> 19) & 31;
                long next = pc + ((d & (1 << 24)) != 0 ? 4 : 2);
                switch (d & 0xff) {
                    case Decoded.SLOW -> { this.pc = pc; instret += n; n = 0; execute(imm[idx], next); pc = this.pc; } // counters exact for CSR reads
                    case Decoded.CROSS -> { this.pc = pc; instret += n; n = 0; step(); pc = this.pc; }
                    case Decoded.ILLEGAL16 -> { this.pc = pc; insnBits = imm[idx] & 0xffff; throw illegal(); }
                    case Decoded.LUI -> { x[rd] = imm[idx]; pc = next; }
                    case Decoded.AUIPC -> { x[rd] = pc + imm[idx]; pc = next; }
                    case Decoded.JAL -> { x[rd] = next; pc += imm[idx]; }
                    case Decoded.JALR -> { long t = (x[rs1] + imm[idx]) & ~1L; x[rd] = next; pc = t; }
                    case Decoded.BEQ -> pc = x[rs1] == x[rs2] ? pc + imm[idx] : next;
                    case Decoded.BNE -> pc = x[rs1] != x[rs2] ? pc + imm[idx] : next;
                    case Decoded.BLT -> pc = x[rs1] < x[rs2] ? pc + imm[idx] : next;
                    case Decoded.BGE -> pc = x[rs1] >= x[rs2] ? pc + imm[idx] : next;
                    case Decoded.BLTU -> pc = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? pc + imm[idx] : next;
                    case Decoded.BGEU -> pc = Long.compareUnsigned(x[rs1], x[rs2]) >= 0 ? pc + imm[idx] : next;
                    case Decoded.LB, Decoded.LH, Decoded.LW, Decoded.LD, Decoded.LBU, Decoded.LHU, Decoded.LWU -> {
                        // one call site for all loads keeps the compiled loop small
                        this.pc = pc;
                        int op = d & 0xff;
                        long v = load(x[rs1] + imm[idx], LOAD_SIZE[op]);
                        int sh = LOAD_SHIFT[op];
                        x[rd] = (v << sh) >> sh;
                        pc = next;
                    }
                    case Decoded.SB, Decoded.SH, Decoded.SW, Decoded.SD -> { this.pc = pc; store(x[rs1] + imm[idx], STORE_SIZE[d & 0xff], x[rs2]); pc = next; }
                    case Decoded.ADDI -> { x[rd] = x[rs1] + imm[idx]; pc = next; }
                    case Decoded.SLTI -> { x[rd] = x[rs1] < imm[idx] ? 1 : 0; pc = next; }
                    case Decoded.SLTIU -> { x[rd] = Long.compareUnsigned(x[rs1], imm[idx]) < 0 ? 1 : 0; pc = next; }
                    case Decoded.XORI -> { x[rd] = x[rs1] ^ imm[idx]; pc = next; }
                    case Decoded.ORI -> { x[rd] = x[rs1] | imm[idx]; pc = next; }
                    case Decoded.ANDI -> { x[rd] = x[rs1] & imm[idx]; pc = next; }
                    case Decoded.SLLI -> { x[rd] = x[rs1] << imm[idx]; pc = next; }
                    case Decoded.SRLI -> { x[rd] = x[rs1] >>> imm[idx]; pc = next; }
                    case Decoded.SRAI -> { x[rd] = x[rs1] >> imm[idx]; pc = next; }
                    case Decoded.ADD -> { x[rd] = x[rs1] + x[rs2]; pc = next; }
                    case Decoded.SUB -> { x[rd] = x[rs1] - x[rs2]; pc = next; }
                    case Decoded.SLL -> { x[rd] = x[rs1] << x[rs2]; pc = next; }
                    case Decoded.SLT -> { x[rd] = x[rs1] < x[rs2] ? 1 : 0; pc = next; }
                    case Decoded.SLTU -> { x[rd] = Long.compareUnsigned(x[rs1], x[rs2]) < 0 ? 1 : 0; pc = next; }
                    case Decoded.XOR -> { x[rd] = x[rs1] ^ x[rs2]; pc = next; }
                    case Decoded.SRL -> { x[rd] = x[rs1] >>> x[rs2]; pc = next; }
                    case Decoded.SRA -> { x[rd] = x[rs1] >> x[rs2]; pc = next; }
                    case Decoded.OR -> { x[rd] = x[rs1] | x[rs2]; pc = next; }
                    case Decoded.AND -> { x[rd] = x[rs1] & x[rs2]; pc = next; }
                    case Decoded.ADDIW -> { x[rd] = (int) x[rs1] + imm[idx]; pc = next; }
                    case Decoded.SLLIW -> { x[rd] = (int) x[rs1] << imm[idx]; pc = next; }
                    case Decoded.SRLIW -> { x[rd] = (int) x[rs1] >>> imm[idx]; pc = next; }
                    case Decoded.SRAIW -> { x[rd] = (int) x[rs1] >> imm[idx]; pc = next; }
                    case Decoded.ADDW -> { x[rd] = (int) x[rs1] + (int) x[rs2]; pc = next; }
                    case Decoded.SUBW -> { x[rd] = (int) x[rs1] - (int) x[rs2]; pc = next; }
                    case Decoded.SLLW -> { x[rd] = (int) x[rs1] << (int) x[rs2]; pc = next; }
                    case Decoded.SRLW -> { x[rd] = (int) x[rs1] >>> (int) x[rs2]; pc = next; }
                    case Decoded.SRAW -> { x[rd] = (int) x[rs1] >> (int) x[rs2]; pc = next; }
                    case Decoded.MUL -> { x[rd] = x[rs1] * x[rs2]; pc = next; }
                    case Decoded.MULW -> { x[rd] = (int) x[rs1] * (int) x[rs2]; pc = next; }
                    case Decoded.FENCE -> pc = next;
                    default -> throw new IllegalStateException("bad decoded descriptor " + Integer.toHexString(d));
                }
                n++;
                // after any instruction that may have changed interrupt state (CSR, mode, device access)
                if (recheck) break;
            }
        } finally {
            instret += n;
        }
        this.pc = pc;
    }

    private void step() {
        long pc = this.pc;
        int insn;
        if ((pc >>> 12) == fetchVpn && (pc & 0xfff) <= 0xffc) {
            insn = (int) INT.get(ram, fetchOff + (int) (pc & 0xfff));
        } else {
            insn = fetchSlow(pc);
        }
        if ((insn & 3) == 3) {
            execute(insn, pc + 4);
        } else {
            int c = Compressed.expand(insn & 0xffff);
            if (c == 0) { insnBits = insn & 0xffff; throw illegal(); }
            execute(c, pc + 2);
        }
    }

    private int fetchSlow(long pc) {
        long pa = translate(pc, EXEC);
        long off = pa - ramBase;
        if (off < 0 || off > ramSize - 2) throw trap.set(INSN_ACCESS, pc);
        fetchVpn = pc >>> 12;
        fetchOff = (int) (off & ~0xfffL);
        if ((pc & 0xfff) <= 0xffc) return (int) INT.get(ram, (int) off);
        int lo = (short) SHORT.get(ram, (int) off) & 0xffff;
        if ((lo & 3) != 3) return lo;
        long pa2 = translate(pc + 2, EXEC); // a fault here reports pc + 2, the part of the instruction that faulted
        long off2 = pa2 - ramBase;
        if (off2 < 0 || off2 > ramSize - 2) throw trap.set(INSN_ACCESS, pc);
        return lo | (((short) SHORT.get(ram, (int) off2) & 0xffff) << 16);
    }

    private Trap illegal() { return trap.set(ILLEGAL, insnBits); }

    private Trap illegal(int insn) { return trap.set(ILLEGAL, insn & 0xffffffffL); }

    // ---------------- interrupts and traps ----------------
    private boolean checkInterrupts() {
        long pending = (mip | hwIp) & mie;
        if (pending == 0) return false;
        long m = pending & ~mideleg;
        long s = pending & mideleg;
        boolean mOn = priv < PRIV_M || (mstatus & MIE_BIT) != 0;
        boolean sOn = priv < PRIV_S || (priv == PRIV_S && (mstatus & SIE_BIT) != 0);
        long take = mOn && m != 0 ? m : (sOn && s != 0 ? s : 0);
        if (take == 0) return false;
        int cause;
        if ((take & (1L << MEI)) != 0) cause = MEI;
        else if ((take & (1L << MSI)) != 0) cause = MSI;
        else if ((take & (1L << MTI)) != 0) cause = MTI;
        else if ((take & (1L << SEI)) != 0) cause = SEI;
        else if ((take & (1L << SSI)) != 0) cause = SSI;
        else cause = STI;
        waiting = false;
        takeTrap(cause, 0, true);
        return true;
    }

    private void takeTrap(long cause, long tval, boolean interrupt) {
        reservation = -1;
        long deleg = interrupt ? mideleg : medeleg;
        long causeReg = interrupt ? (cause | Long.MIN_VALUE) : cause;
        if (priv <= PRIV_S && ((deleg >>> cause) & 1) != 0) {
            scause = causeReg;
            sepc = pc;
            stval = tval;
            long st = mstatus;
            st = (st & ~SPIE) | ((st & SIE_BIT) != 0 ? SPIE : 0);
            st = (st & ~SPP) | (priv == PRIV_S ? SPP : 0);
            st &= ~SIE_BIT;
            mstatus = st;
            priv = PRIV_S;
            pc = (stvec & 1) != 0 && interrupt ? (stvec & ~3L) + 4 * cause : stvec & ~3L;
        } else {
            mcause = causeReg;
            mepc = pc;
            mtval = tval;
            long st = mstatus;
            st = (st & ~MPIE) | ((st & MIE_BIT) != 0 ? MPIE : 0);
            st = (st & ~MPP) | ((long) priv << 11);
            st &= ~MIE_BIT;
            mstatus = st;
            priv = PRIV_M;
            pc = (mtvec & 1) != 0 && interrupt ? (mtvec & ~3L) + 4 * cause : mtvec & ~3L;
        }
        modeChanged();
    }

    private void modeChanged() {
        int dataPriv = priv;
        if (priv == PRIV_M && (mstatus & MPRV) != 0) dataPriv = (int) ((mstatus >>> 11) & 3);
        effectiveDataPriv = dataPriv;
        boolean paging = (satp >>> 60) != 0;
        translateData = paging && dataPriv != PRIV_M;
        translateFetch = paging && priv != PRIV_M;
        tlb.selectSets(dataPriv == PRIV_U, priv == PRIV_U);
        fetchVpn = -1;
        recheck = true;
    }

    private void flushTlb() {
        tlb.flush();
        fetchVpn = -1;
    }

    // ---------------- address translation ----------------
    private long translate(long va, int access) {
        if (access == EXEC ? !translateFetch : !translateData) return va;
        long pa = tlb.lookup(va, access);
        return pa != Tlb.MISS ? pa : walk(va, access);
    }

    private long walk(long va, int access) {
        long pa = mmu.walk(va, access, satp, access == EXEC ? priv : effectiveDataPriv, (mstatus & SUM) != 0, (mstatus & MXR) != 0);
        if (pa == Mmu.PAGE_FAULT) throw trap.set(access == EXEC ? INSN_PAGE_FAULT : access == WRITE ? STORE_PAGE_FAULT : LOAD_PAGE_FAULT, va);
        if (pa == Mmu.ACCESS_FAULT) throw trap.set(access == EXEC ? INSN_ACCESS : access == WRITE ? STORE_ACCESS : LOAD_ACCESS, va);
        return pa;
    }

    // ---------------- data memory access ----------------
    private long physRead(long pa, int size, long va) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) {
            int o = (int) off;
            return switch (size) {
                case 1 -> ram[o] & 0xffL;
                case 2 -> (short) SHORT.get(ram, o) & 0xffffL;
                case 4 -> (int) INT.get(ram, o) & 0xffffffffL;
                default -> (long) LONG.get(ram, o);
            };
        }
        if (!mem.exists(pa, size)) throw trap.set(LOAD_ACCESS, va);
        return mem.read(pa, size);
    }

    private void physWrite(long pa, int size, long v, long va) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) {
            int o = (int) off;
            switch (size) {
                case 1 -> mem.ramWriteByte(o, (byte) v);
                case 2 -> mem.ramWriteShort(o, (short) v);
                case 4 -> mem.ramWriteInt(o, (int) v);
                default -> mem.ramWriteLong(o, v);
            }
            return;
        }
        if (!mem.exists(pa, size)) throw trap.set(STORE_ACCESS, va);
        mem.write(pa, size, v);
        recheck = true; // a device write may raise an interrupt or stop the machine
    }

    /** Loads {@code size} bytes, zero-extended; misaligned accesses are split into bytes. */
    long load(long va, int size) {
        if ((va & (size - 1)) == 0) {
            long pa = translate(va, READ);
            long off = pa - ramBase;
            if (off >= 0 && off <= ramSize - size) {
                int o = (int) off;
                return switch (size) {
                    case 1 -> ram[o] & 0xffL;
                    case 2 -> (short) SHORT.get(ram, o) & 0xffffL;
                    case 4 -> (int) INT.get(ram, o) & 0xffffffffL;
                    default -> (long) LONG.get(ram, o);
                };
            }
            return physRead(pa, size, va);
        }
        // misaligned: translate both pages first so a fault leaves nothing half done
        long v = 0;
        for (int k = 0; k < size; k++) translate(va + k, READ);
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | physRead(translate(va + k, READ), 1, va);
        return v;
    }

    void store(long va, int size, long v) {
        if ((va & (size - 1)) == 0) {
            long pa = translate(va, WRITE);
            physWrite(pa, size, v, va);
            return;
        }
        for (int k = 0; k < size; k++) translate(va + k, WRITE);
        for (int k = 0; k < size; k++) physWrite(translate(va + k, WRITE), 1, v >>> (8 * k), va);
    }

    // ---------------- instruction execution ----------------
    private void execute(int insn, long next) {
        switch (insn & 0x7f) {
            case 0x37 -> { setRd(insn, (long) (insn & 0xfffff000)); pc = next; } // LUI
            case 0x17 -> { setRd(insn, pc + (long) (insn & 0xfffff000)); pc = next; } // AUIPC
            case 0x6f -> { // JAL
                long target = pc + jImm(insn);
                setRd(insn, next);
                pc = target;
            }
            case 0x67 -> { // JALR
                if (((insn >>> 12) & 7) != 0) throw illegal(insn);
                long target = (x[(insn >>> 15) & 31] + (insn >> 20)) & ~1L;
                setRd(insn, next);
                pc = target;
            }
            case 0x63 -> branch(insn, next);
            case 0x03 -> { loadInsn(insn); pc = next; }
            case 0x23 -> { storeInsn(insn); pc = next; }
            case 0x13 -> { opImm(insn); pc = next; }
            case 0x1b -> { opImm32(insn); pc = next; }
            case 0x33 -> { op(insn); pc = next; }
            case 0x3b -> { op32(insn); pc = next; }
            case 0x0f -> { // FENCE, FENCE.I
                int f3 = (insn >>> 12) & 7;
                // FENCE.I: decoded pages already follow every store and DMA write into them, so only the fetch page is refreshed
                if (f3 == 1) { fetchVpn = -1; }
                else if (f3 != 0) throw illegal(insn);
                pc = next;
            }
            case 0x73 -> system(insn, next);
            case 0x2f -> { amo(insn); pc = next; }
            case 0x07 -> { fpLoad(insn); pc = next; }
            case 0x27 -> { fpStore(insn); pc = next; }
            case 0x43, 0x47, 0x4b, 0x4f -> { fpFma(insn); pc = next; }
            case 0x53 -> { fpOp(insn); pc = next; }
            default -> throw illegal(insn);
        }
    }

    private void setRd(int insn, long v) {
        int rd = (insn >>> 7) & 31;
        if (rd != 0) x[rd] = v;
    }

    private static long jImm(int i) {
        return ((long) (i >> 31) << 20) | (((i >>> 12) & 0xff) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 0x3ff) << 1);
    }

    private void branch(int insn, long next) {
        long a = x[(insn >>> 15) & 31], b = x[(insn >>> 20) & 31];
        boolean taken = switch ((insn >>> 12) & 7) {
            case 0 -> a == b;
            case 1 -> a != b;
            case 4 -> a < b;
            case 5 -> a >= b;
            case 6 -> Long.compareUnsigned(a, b) < 0;
            case 7 -> Long.compareUnsigned(a, b) >= 0;
            default -> throw illegal(insn);
        };
        if (taken) {
            long imm = ((long) (insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 0x3f) << 5) | (((insn >>> 8) & 0xf) << 1);
            pc += imm;
        } else {
            pc = next;
        }
    }

    private void loadInsn(int insn) {
        long va = x[(insn >>> 15) & 31] + (insn >> 20);
        long v = switch ((insn >>> 12) & 7) {
            case 0 -> (byte) load(va, 1);
            case 1 -> (short) load(va, 2);
            case 2 -> (int) load(va, 4);
            case 3 -> load(va, 8);
            case 4 -> load(va, 1);
            case 5 -> load(va, 2);
            case 6 -> load(va, 4);
            default -> throw illegal(insn);
        };
        setRd(insn, v);
    }

    private static long sImm(int insn) { return ((insn >> 25) << 5) | ((insn >>> 7) & 31); }

    private void storeInsn(int insn) {
        long va = x[(insn >>> 15) & 31] + sImm(insn);
        long v = x[(insn >>> 20) & 31];
        switch ((insn >>> 12) & 7) {
            case 0 -> store(va, 1, v);
            case 1 -> store(va, 2, v);
            case 2 -> store(va, 4, v);
            case 3 -> store(va, 8, v);
            default -> throw illegal(insn);
        }
    }

    private void opImm(int insn) {
        long a = x[(insn >>> 15) & 31];
        long imm = insn >> 20;
        long v = switch ((insn >>> 12) & 7) {
            case 0 -> a + imm;
            case 1 -> { if ((insn >>> 26) != 0) throw illegal(insn); yield a << (imm & 63); }
            case 2 -> a < imm ? 1 : 0;
            case 3 -> Long.compareUnsigned(a, imm) < 0 ? 1 : 0;
            case 4 -> a ^ imm;
            case 5 -> {
                int top = insn >>> 26;
                if (top == 0) yield a >>> (imm & 63);
                if (top == 0x10) yield a >> (imm & 63);
                throw illegal(insn);
            }
            case 6 -> a | imm;
            default -> a & imm;
        };
        setRd(insn, v);
    }

    private void opImm32(int insn) {
        int a = (int) x[(insn >>> 15) & 31];
        int imm = insn >> 20;
        int sh = imm & 31;
        int v = switch ((insn >>> 12) & 7) {
            case 0 -> a + imm;
            case 1 -> { if ((insn >>> 25) != 0) throw illegal(insn); yield a << sh; }
            case 5 -> {
                int top = insn >>> 25;
                if (top == 0) yield a >>> sh;
                if (top == 0x20) yield a >> sh;
                throw illegal(insn);
            }
            default -> throw illegal(insn);
        };
        setRd(insn, v);
    }

    private void op(int insn) {
        long a = x[(insn >>> 15) & 31], b = x[(insn >>> 20) & 31];
        int f7 = insn >>> 25, f3 = (insn >>> 12) & 7;
        long v;
        if (f7 == 0) {
            v = switch (f3) {
                case 0 -> a + b;
                case 1 -> a << (b & 63);
                case 2 -> a < b ? 1 : 0;
                case 3 -> Long.compareUnsigned(a, b) < 0 ? 1 : 0;
                case 4 -> a ^ b;
                case 5 -> a >>> (b & 63);
                case 6 -> a | b;
                default -> a & b;
            };
        } else if (f7 == 0x20) {
            v = switch (f3) {
                case 0 -> a - b;
                case 5 -> a >> (b & 63);
                default -> throw illegal(insn);
            };
        } else if (f7 == 1) {
            v = switch (f3) {
                case 0 -> a * b;
                case 1 -> Math.multiplyHigh(a, b);
                case 2 -> Math.multiplyHigh(a, b) + ((b >> 63) & a); // mulhsu
                case 3 -> Math.unsignedMultiplyHigh(a, b);
                case 4 -> b == 0 ? -1 : (a == Long.MIN_VALUE && b == -1 ? a : a / b);
                case 5 -> b == 0 ? -1 : Long.divideUnsigned(a, b);
                case 6 -> b == 0 ? a : (a == Long.MIN_VALUE && b == -1 ? 0 : a % b);
                default -> b == 0 ? a : Long.remainderUnsigned(a, b);
            };
        } else {
            throw illegal(insn);
        }
        setRd(insn, v);
    }

    private void op32(int insn) {
        int a = (int) x[(insn >>> 15) & 31], b = (int) x[(insn >>> 20) & 31];
        int f7 = insn >>> 25, f3 = (insn >>> 12) & 7;
        int v;
        if (f7 == 0) {
            v = switch (f3) {
                case 0 -> a + b;
                case 1 -> a << (b & 31);
                case 5 -> a >>> (b & 31);
                default -> throw illegal(insn);
            };
        } else if (f7 == 0x20) {
            v = switch (f3) {
                case 0 -> a - b;
                case 5 -> a >> (b & 31);
                default -> throw illegal(insn);
            };
        } else if (f7 == 1) {
            v = switch (f3) {
                case 0 -> a * b;
                case 4 -> b == 0 ? -1 : (a == Integer.MIN_VALUE && b == -1 ? a : a / b);
                case 5 -> b == 0 ? -1 : Integer.divideUnsigned(a, b);
                case 6 -> b == 0 ? a : (a == Integer.MIN_VALUE && b == -1 ? 0 : a % b);
                case 7 -> b == 0 ? a : Integer.remainderUnsigned(a, b);
                default -> throw illegal(insn);
            };
        } else {
            throw illegal(insn);
        }
        setRd(insn, v);
    }

    // ---------------- atomics ----------------
    private void amo(int insn) {
        int f3 = (insn >>> 12) & 7;
        if (f3 != 2 && f3 != 3) throw illegal(insn);
        int size = f3 == 2 ? 4 : 8;
        long va = x[(insn >>> 15) & 31];
        long src = x[(insn >>> 20) & 31];
        int op = insn >>> 27;
        if (op == 2) { // LR
            if (((insn >>> 20) & 31) != 0) throw illegal(insn);
            if ((va & (size - 1)) != 0) throw trap.set(LOAD_MISALIGNED, va);
            long v = load(va, size);
            reservation = va;
            setRd(insn, size == 4 ? (int) v : v);
            return;
        }
        if ((va & (size - 1)) != 0) throw trap.set(STORE_MISALIGNED, va);
        if (op == 3) { // SC
            long pa = translate(va, WRITE);
            if (reservation == va) {
                physWrite(pa, size, src, va);
                setRd(insn, 0);
            } else {
                setRd(insn, 1);
            }
            reservation = -1;
            return;
        }
        long pa = translate(va, WRITE); // AMOs fault as stores
        long old = physRead(pa, size, va);
        if (size == 4) { old = (int) old; src = (int) src; }
        long nv = switch (op) {
            case 0 -> old + src;
            case 1 -> src;
            case 4 -> old ^ src;
            case 8 -> old | src;
            case 12 -> old & src;
            case 16 -> Math.min(old, src);
            case 20 -> Math.max(old, src);
            case 24 -> Long.compareUnsigned(old, src) < 0 ? old : src;
            case 28 -> Long.compareUnsigned(old, src) > 0 ? old : src;
            default -> throw illegal(insn);
        };
        if (size == 4 && (op == 24 || op == 28)) {
            nv = Integer.compareUnsigned((int) old, (int) src) < 0 == (op == 24) ? old : src;
        }
        physWrite(pa, size, nv, va);
        setRd(insn, old);
    }

    // ---------------- system ----------------
    private void system(int insn, long next) {
        int f3 = (insn >>> 12) & 7;
        if (f3 == 0) {
            int rd = (insn >>> 7) & 31, rs1 = (insn >>> 15) & 31;
            int f12 = insn >>> 20;
            if ((insn >>> 25) == 0x09) { // SFENCE.VMA
                if (rd != 0 || priv == PRIV_U || (priv == PRIV_S && (mstatus & TVM) != 0)) throw illegal(insn);
                flushTlb();
                pc = next;
                return;
            }
            if (rd != 0 || rs1 != 0) throw illegal(insn);
            switch (f12) {
                case 0x000 -> { // ECALL
                    if (priv == PRIV_S && ecallHandler != null && ecallHandler.ecall(this)) { pc = next; recheck = true; return; }
                    throw trap.set(priv == PRIV_U ? ECALL_U : priv == PRIV_S ? ECALL_S : ECALL_M, 0);
                }
                case 0x001 -> throw trap.set(BREAKPOINT, pc);
                case 0x302 -> { // MRET
                    if (priv != PRIV_M) throw illegal(insn);
                    long st = mstatus;
                    int mpp = (int) ((st >>> 11) & 3);
                    st = (st & ~MIE_BIT) | ((st & MPIE) != 0 ? MIE_BIT : 0);
                    st |= MPIE;
                    st &= ~MPP;
                    if (mpp != PRIV_M) st &= ~MPRV;
                    mstatus = st;
                    priv = mpp;
                    pc = mepc;
                    modeChanged();
                }
                case 0x102 -> { // SRET
                    if (priv == PRIV_U || (priv == PRIV_S && (mstatus & TSR) != 0)) throw illegal(insn);
                    long st = mstatus;
                    int spp = (st & SPP) != 0 ? PRIV_S : PRIV_U;
                    st = (st & ~SIE_BIT) | ((st & SPIE) != 0 ? SIE_BIT : 0);
                    st |= SPIE;
                    st &= ~SPP;
                    st &= ~MPRV;
                    mstatus = st;
                    priv = spp;
                    pc = sepc;
                    modeChanged();
                }
                case 0x105 -> { // WFI
                    if (priv == PRIV_U || (priv == PRIV_S && (mstatus & TW) != 0)) throw illegal(insn);
                    pc = next;
                    if (pendingInterrupts() == 0) { waiting = true; recheck = true; }
                }
                default -> throw illegal(insn);
            }
            return;
        }
        if (f3 == 4) throw illegal(insn);
        int csr = insn >>> 20;
        int rd = (insn >>> 7) & 31;
        int rs1 = (insn >>> 15) & 31;
        long src = f3 >= 5 ? rs1 : x[rs1];
        int kind = f3 & 3; // 1 write, 2 set, 3 clear
        boolean writes = kind == 1 || rs1 != 0;
        if ((csr >>> 8 & 3) > priv) throw illegal(insn);
        if (writes && (csr >>> 10) == 3) throw illegal(insn);
        long old = readCsr(csr, insn, kind != 1 || rd != 0);
        if (writes) {
            // csrrs/csrrc on mip/sip modify the software-writable bits: the interrupt lines that devices drive
            // (e.g. the PLIC's SEIP) are read but must not be latched into them
            long base = csr == MIP || csr == SIP ? mip : old;
            long nv = kind == 1 ? src : kind == 2 ? base | src : base & ~src;
            writeCsr(csr, nv, insn);
        }
        setRd(insn, old);
        pc = next;
        // only writes that can enable or raise an interrupt (or change translation) end the batch
        if (writes && (csr == MSTATUS || csr == SSTATUS || csr == MIE || csr == SIE || csr == MIP || csr == SIP
                || csr == MIDELEG || csr == SATP)) {
            recheck = true;
        }
    }

    /** Writes mstatus; cached translations are dropped only when a bit they depend on changed. */
    private void setMstatus(long nv) {
        long changed = mstatus ^ nv;
        mstatus = nv;
        if ((changed & (SUM | MXR)) != 0) flushTlb(); // permissions cached in the TLB depend on them
        if ((changed & (MPRV | MPP | SUM | MXR)) != 0) modeChanged();
    }

    private boolean counterAllowed(int bit) {
        if (priv == PRIV_M) return true;
        if (((mcounteren >>> bit) & 1) == 0) return false;
        return priv == PRIV_S || ((scounteren >>> bit) & 1) != 0;
    }

    private void requireFs(int insn) {
        if ((mstatus & FS) == 0) throw illegal(insn);
    }

    private long readCsr(int csr, int insn, boolean read) {
        switch (csr) {
            case FFLAGS -> { requireFs(insn); return fpu.flags; }
            case FRM -> { requireFs(insn); return frm; }
            case FCSR -> { requireFs(insn); return (frm << 5) | fpu.flags; }
            case CYCLE -> { if (!counterAllowed(0)) throw illegal(insn); return instret + cycleOffset; }
            case TIME -> { if (!counterAllowed(1)) throw illegal(insn); return timer.getAsLong(); }
            case INSTRET -> { if (!counterAllowed(2)) throw illegal(insn); return instret + instretOffset; }
            case SSTATUS -> { return sstatusValue() & SSTATUS_MASK; }
            case SIE -> { return mie & mideleg; }
            case STVEC -> { return stvec; }
            case SCOUNTEREN -> { return scounteren; }
            case SENVCFG -> { return senvcfg; }
            case SSCRATCH -> { return sscratch; }
            case SEPC -> { return sepc; }
            case SCAUSE -> { return scause; }
            case STVAL -> { return stval; }
            case SIP -> { return (mip | hwIp) & mideleg; }
            case SATP -> { if (priv == PRIV_S && (mstatus & TVM) != 0) throw illegal(insn); return satp; }
            case MVENDORID, MARCHID, MIMPID, MHARTID, MCONFIGPTR -> { return 0; }
            case MSTATUS -> { return sstatusValue(); }
            case MISA -> { return MISA_VALUE; }
            case MEDELEG -> { return medeleg; }
            case MIDELEG -> { return mideleg; }
            case MIE -> { return mie; }
            case MTVEC -> { return mtvec; }
            case MCOUNTEREN -> { return mcounteren; }
            case MENVCFG -> { return menvcfg; }
            case MCOUNTINHIBIT -> { return mcountinhibit; }
            case MSCRATCH -> { return mscratch; }
            case MEPC -> { return mepc; }
            case MCAUSE -> { return mcause; }
            case MTVAL -> { return mtval; }
            case MIP -> { return mip | hwIp; }
            case MCYCLE -> { return instret + cycleOffset; }
            case MINSTRET -> { return instret + instretOffset; }
            default -> { }
        }
        if (csr >= 0xC03 && csr <= 0xC1F) { if (!counterAllowed(csr - 0xC00)) throw illegal(insn); return 0; }
        if ((csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) return 0;
        if (csr >= 0x3A0 && csr <= 0x3AF) { if ((csr & 1) != 0) throw illegal(insn); return pmpcfg[csr - 0x3A0]; }
        if (csr >= 0x3B0 && csr <= 0x3EF) return pmpaddr[csr - 0x3B0];
        throw illegal(insn);
    }

    private long sstatusValue() {
        long st = mstatus;
        if ((st & FS) == FS) st |= SD;
        return st;
    }

    private void writeCsr(int csr, long v, int insn) {
        switch (csr) {
            case FFLAGS -> { requireFs(insn); fpu.flags = (int) (v & 31); mstatus |= FS; }
            case FRM -> { requireFs(insn); frm = (int) (v & 7); mstatus |= FS; }
            case FCSR -> { requireFs(insn); fpu.flags = (int) (v & 31); frm = (int) ((v >>> 5) & 7); mstatus |= FS; }
            case CYCLE, TIME, INSTRET -> throw illegal(insn);
            case SSTATUS -> { long mask = SIE_BIT | SPIE | SPP | FS | SUM | MXR; setMstatus((mstatus & ~mask) | (v & mask)); }
            case SIE -> mie = (mie & ~mideleg) | (v & mideleg);
            case STVEC -> stvec = v & ~2L;
            case SCOUNTEREN -> scounteren = v & 0xffffffffL;
            case SENVCFG -> senvcfg = v & 1;
            case SSCRATCH -> sscratch = v;
            case SEPC -> sepc = v & ~1L;
            case SCAUSE -> scause = v;
            case STVAL -> stval = v;
            case SIP -> { long mask = mideleg & (1L << SSI); mip = (mip & ~mask) | (v & mask); }
            case SATP -> {
                if (priv == PRIV_S && (mstatus & TVM) != 0) throw illegal(insn);
                long mode = v >>> 60;
                if (mode == 0 || mode == 8 || mode == 9) { satp = mode << 60 | (v & 0xfffffffffffL); flushTlb(); modeChanged(); } // ASIDLEN = 0
            }
            case MSTATUS -> {
                long nv = (mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
                if (((nv >>> 11) & 3) == 2) nv &= ~MPP; // MPP is WARL: reserved value 2 reads as U
                setMstatus(nv);
            }
            case MISA -> { }
            case MEDELEG -> medeleg = v & MEDELEG_WRITABLE;
            case MIDELEG -> mideleg = v & S_INTERRUPTS;
            case MIE -> mie = v & ALL_INTERRUPTS;
            case MTVEC -> mtvec = v & ~2L;
            case MCOUNTEREN -> mcounteren = v & 0xffffffffL;
            case MENVCFG -> menvcfg = v & 1;
            case MCOUNTINHIBIT -> mcountinhibit = v & 0xfffffffdL;
            case MSCRATCH -> mscratch = v;
            case MEPC -> mepc = v & ~1L;
            case MCAUSE -> mcause = v;
            case MTVAL -> mtval = v;
            case MIP -> { long mask = S_INTERRUPTS; mip = (mip & ~mask) | (v & mask); }
            case MCYCLE -> cycleOffset = v - instret - 1;
            case MINSTRET -> instretOffset = v - instret - 1;
            case MVENDORID, MARCHID, MIMPID, MHARTID, MCONFIGPTR -> throw illegal(insn);
            default -> {
                if ((csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0x323 && csr <= 0x33F)) return;
                if (csr >= 0x3A0 && csr <= 0x3AF) { if ((csr & 1) != 0) throw illegal(insn); pmpcfg[csr - 0x3A0] = v; return; }
                if (csr >= 0x3B0 && csr <= 0x3EF) { pmpaddr[csr - 0x3B0] = v & ((1L << 54) - 1); return; }
                throw illegal(insn);
            }
        }
    }

    // ---------------- floating point ----------------
    private int rm(int insn) {
        int rm = (insn >>> 12) & 7;
        if (rm == 7) rm = frm;
        if (rm > 4) throw illegal(insn);
        return rm;
    }

    private void setFd(int insn, long v) {
        f[(insn >>> 7) & 31] = v;
        mstatus |= FS;
    }

    private void fpLoad(int insn) {
        requireFs(insn);
        int f3 = (insn >>> 12) & 7;
        long va = x[(insn >>> 15) & 31] + (insn >> 20);
        if (f3 == 2) setFd(insn, Fpu.box((int) load(va, 4)));
        else if (f3 == 3) setFd(insn, load(va, 8));
        else throw illegal(insn);
    }

    private void fpStore(int insn) {
        requireFs(insn);
        int f3 = (insn >>> 12) & 7;
        long va = x[(insn >>> 15) & 31] + sImm(insn);
        long v = f[(insn >>> 20) & 31];
        if (f3 == 2) store(va, 4, v);
        else if (f3 == 3) store(va, 8, v);
        else throw illegal(insn);
    }

    private void fpFma(int insn) {
        requireFs(insn);
        int fmt = (insn >>> 25) & 3;
        if (fmt > 1) throw illegal(insn);
        int rm = rm(insn);
        long a = f[(insn >>> 15) & 31], b = f[(insn >>> 20) & 31], c = f[insn >>> 27];
        int op = insn & 0x7f;
        boolean negProduct = op == 0x4b || op == 0x4f;
        boolean negAddend = op == 0x47 || op == 0x4f;
        setFd(insn, fmt == 0 ? fpu.fmaS(a, b, c, negProduct, negAddend, rm) : fpu.fmaD(a, b, c, negProduct, negAddend, rm));
    }

    private void fpOp(int insn) {
        requireFs(insn);
        mstatus |= FS; // flags may change even when only an x register is written
        int f7 = insn >>> 25;
        int rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31;
        int f3 = (insn >>> 12) & 7;
        long a = f[rs1], b = f[rs2];
        boolean d = (f7 & 1) != 0;
        if ((f7 & 2) != 0) throw illegal(insn);
        switch (f7 >>> 2) {
            case 0x00 -> setFd(insn, d ? fpu.addD(a, b, rm(insn)) : fpu.addS(a, b, rm(insn)));
            case 0x01 -> setFd(insn, d ? fpu.addD(a, b ^ Long.MIN_VALUE, rm(insn)) : fpu.addS(a, negS(b), rm(insn)));
            case 0x02 -> setFd(insn, d ? fpu.mulD(a, b, rm(insn)) : fpu.mulS(a, b, rm(insn)));
            case 0x03 -> setFd(insn, d ? fpu.divD(a, b, rm(insn)) : fpu.divS(a, b, rm(insn)));
            case 0x0b -> { if (rs2 != 0) throw illegal(insn); setFd(insn, d ? fpu.sqrtD(a, rm(insn)) : fpu.sqrtS(a, rm(insn))); }
            case 0x04 -> { // FSGNJ[N|X]
                if (d) {
                    long sign = switch (f3) { case 0 -> b; case 1 -> ~b; case 2 -> a ^ b; default -> throw illegal(insn); };
                    setFd(insn, (a & Long.MAX_VALUE) | (sign & Long.MIN_VALUE));
                } else {
                    int ai = Fpu.unbox(a), bi = Fpu.unbox(b);
                    int sign = switch (f3) { case 0 -> bi; case 1 -> ~bi; case 2 -> ai ^ bi; default -> throw illegal(insn); };
                    setFd(insn, Fpu.box((ai & Integer.MAX_VALUE) | (sign & Integer.MIN_VALUE)));
                }
            }
            case 0x05 -> {
                if (f3 > 1) throw illegal(insn);
                setFd(insn, d ? fpu.minMaxD(a, b, f3 == 1) : fpu.minMaxS(a, b, f3 == 1));
            }
            case 0x08 -> { // FCVT.S.D / FCVT.D.S
                if (d && rs2 == 0) setFd(insn, fpu.sToD(a));
                else if (!d && rs2 == 1) setFd(insn, fpu.dToS(a, rm(insn)));
                else throw illegal(insn);
            }
            case 0x14 -> {
                if (f3 > 2) throw illegal(insn);
                setRd(insn, d ? fpu.compareD(a, b, f3) : fpu.compareS(a, b, f3));
            }
            case 0x18 -> { // FCVT.int.fmt
                if (rs2 > 3) throw illegal(insn);
                int rm = rm(insn);
                long r;
                if (d) r = fpu.toInt(Double.longBitsToDouble(a), Fpu.isNanD(a), rs2, rm);
                else { int ai = Fpu.unbox(a); r = fpu.toInt(Float.intBitsToFloat(ai), Fpu.isNanS(ai), rs2, rm); }
                setRd(insn, r);
            }
            case 0x1a -> { // FCVT.fmt.int
                if (rs2 > 3) throw illegal(insn);
                int rm = rm(insn);
                long v = x[rs1];
                setFd(insn, d ? fpu.fromIntD(v, rs2, rm) : fpu.fromIntS(v, rs2, rm));
            }
            case 0x1c -> { // FMV.X / FCLASS
                if (rs2 != 0) throw illegal(insn);
                if (f3 == 0) setRd(insn, d ? a : (long) (int) a);
                else if (f3 == 1) setRd(insn, d ? Fpu.classD(a) : Fpu.classS(Fpu.unbox(a)));
                else throw illegal(insn);
            }
            case 0x1e -> { // FMV.W.X / FMV.D.X
                if (rs2 != 0 || f3 != 0) throw illegal(insn);
                setFd(insn, d ? x[rs1] : Fpu.box((int) x[rs1]));
            }
            default -> throw illegal(insn);
        }
    }

    private static long negS(long boxed) {
        return Fpu.box(Fpu.unbox(boxed) ^ Integer.MIN_VALUE);
    }
}
