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
 * An interpreter: {@link Decoder} decodes each instruction once into a per-page cache ({@link Decoded}); the one
 * switch in {@link #runDecoded} gives the common operations their meaning, {@link ColdOps} (with {@link Privileged},
 * {@link Atomics} and {@link FpOps}) the rest. CSRs are rows of {@link CsrTable}.
 */
public final class Hart {
    public static final int PRIV_U = 0, PRIV_S = 1, PRIV_M = 3;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final int READ = Tlb.READ, WRITE = Tlb.WRITE, EXEC = Tlb.EXEC;
    /** Access size and sign-extension shift of each decoded load, size of each decoded store, by operation. */
    private static final int[] LOAD_SIZE = new int[256], LOAD_SHIFT = new int[256], STORE_SIZE = new int[256];

    static {
        int[] ops = {Decoder.LB, Decoder.LH, Decoder.LW, Decoder.LD, Decoder.LBU, Decoder.LHU, Decoder.LWU};
        int[] sizes = {1, 2, 4, 8, 1, 2, 4};
        for (int i = 0; i < ops.length; i++) {
            LOAD_SIZE[ops[i]] = sizes[i];
            LOAD_SHIFT[ops[i]] = i < 3 ? 64 - 8 * sizes[i] : 0;
        }
        STORE_SIZE[Decoder.SB] = 1;
        STORE_SIZE[Decoder.SH] = 2;
        STORE_SIZE[Decoder.SW] = 4;
        STORE_SIZE[Decoder.SD] = 8;
    }

    static int loadSize(int op) { return LOAD_SIZE[op]; }
    static int loadShift(int op) { return LOAD_SHIFT[op]; }
    static int storeSize(int op) { return STORE_SIZE[op]; }

    /** Handles an environment call from S-mode in place of M-mode firmware; returns false to trap normally. */
    public interface EcallHandler { boolean ecall(Hart hart); }

    final long[] x = new long[33]; // x[32] takes the writes to x0 from the decoded fast path
    final long[] f = new long[32];
    long pc;
    int priv = PRIV_M;
    final Fpu fpu = Fpu.create();
    int frm;

    final PhysicalMemory mem;
    final byte[] ram;
    final long ramBase, ramSize;
    final LongSupplier timer;
    final int hartId;
    final Trap trap = new Trap();
    EcallHandler ecallHandler;

    // CSRs
    long mstatus = UXL_SXL, medeleg, mideleg, mie, mip, mtvec, mscratch, mepc, mcause, mtval, mcounteren, menvcfg;
    long stvec, sscratch, sepc, scause, stval, satp, scounteren, senvcfg, mcountinhibit;
    final long[] pmpcfg = new long[16];
    final long[] pmpaddr = new long[64];
    /** Interrupt lines driven by devices (MSIP, MTIP, MEIP, SEIP). */
    volatile long hwIp;
    long instret;
    long cycleOffset, instretOffset;
    /** For --stats: traps taken (interrupts among them), WFIs that slept, pause hints; this hart's thread only. */
    long traps, interrupts, wfiSleeps, pauses;
    final SpinWait spin = new SpinWait();

    // LR/SC
    long reservation = -1, reservedValue;

    // translation state, recomputed when privilege, mstatus or satp change
    private boolean translateData, translateFetch;
    private final Tlb tlb = new Tlb();
    private final Mmu mmu;
    private int effectiveDataPriv;

    // fetch: the virtual page the loop decodes from (-1: look it up again), its decoded page and RAM offset
    long fetchVpn = -1;
    Decoded fetchPageRef;
    int fetchPageOff;

    boolean recheck;
    private final Decoded[] decoded;
    /** The translator of hot blocks to JVM bytecode, or null to interpret everything. */
    private final BlockEngine blocks;
    private final int[] crossImm = new int[2048]; // the immediate of an instruction straddling two pages
    private volatile boolean kicked;
    boolean waiting;

    // Sdtrig: the trigger module; watch is 1 while a load/store trigger is enabled (the aligned fast path tests it)
    final Triggers triggers = new Triggers();
    private final Mailbox mailbox = new Mailbox(this);
    private long watch;

    public Hart(PhysicalMemory mem, LongSupplier timer) { this(0, mem, timer); }

    public Hart(int hartId, PhysicalMemory mem, LongSupplier timer) { this(hartId, mem, timer, BlockEngine.THRESHOLD); }

    /** With {@code translateAfter} arrivals at a block before it is translated to bytecode; 0: interpret only. */
    Hart(int hartId, PhysicalMemory mem, LongSupplier timer, int translateAfter) {
        this.hartId = hartId;
        this.mem = mem;
        this.ram = mem.ram;
        this.ramBase = mem.ramBase;
        this.ramSize = mem.ramSize;
        this.timer = timer;
        this.mmu = new Mmu(mem, tlb);
        this.decoded = new Decoded[(int) (mem.ramSize >>> 12) + 1];
        // a write into a page with decoded code drops it (and its translated blocks); a block running stops after the store
        mem.onCodeWrite(page -> { decoded[page] = null; fetchVpn = -1; recheck = true; });
        this.blocks = translateAfter > 0 ? new BlockEngine(this, translateAfter) : null;
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
        boolean rising;
        synchronized (this) {
            rising = level && (hwIp & (1L << bit)) == 0;
            if (level) hwIp |= 1L << bit; else hwIp &= ~(1L << bit);
        }
        recheck = true;
        if (rising) mailbox.unparkRunner(); // a device raised it from another hart's thread: a hart asleep in WFI wakes
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

    public int hartId() { return hartId; }
    /** Blocks this hart has translated to bytecode so far. */
    long blocksTranslated() { return blocks == null ? 0 : blocks.translated(); }

    /** Where other threads post interrupts, fences and starts for this hart. */
    public Mailbox mailbox() { return mailbox; }
    public boolean isStopped() { return mailbox.state() != Mailbox.STARTED; }

    /** Makes {@link #run} return soon; callable from any thread. */
    public void kick() { kicked = true; recheck = true; }

    public long pendingInterrupts() { return (mip | hwIp) & mie; }

    /** This hart's counters so far (read them on its own thread, or once it has stopped). */
    public HartStats stats() { return new HartStats(hartId, instret, traps, interrupts, wfiSleeps, pauses, mailbox.fencesServed(),
            mailbox.fencesCrossed(), mailbox.fenceTimeouts()); }

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
        mailbox.batch(true); // before the mailbox is read: a fence asked from now on is waited for (Mailbox.mustWaitForFlush)
        try { return runBatch(start, limit); } finally { mailbox.batch(false); }
    }

    private long runBatch(long start, long limit) {
        if (!mailbox.deliver()) return 0;
        if (waiting) {
            if (pendingInterrupts() == 0) return 0;
            waiting = false;
        }
        while (instret < limit && !kicked) {
            try {
                if (checkInterrupts()) continue;
                if (waiting) break;
                recheck = false;
                if ((triggers.armed & Triggers.EXECUTE) == 0) {
                    if (blocks != null) blocks.run(limit - instret); else runDecoded(limit - instret, false);
                } else { // an execute trigger is enabled: one instruction at a time, each address checked before it runs
                    if (triggers.fires(Triggers.EXECUTE, pc, 1, priv)) throw trap.set(BREAKPOINT, pc);
                    runDecoded(1, false);
                }
                if (waiting) break;
            } catch (Trap t) {
                takeTrap(t.cause, t.tval, false);
            }
        }
        return instret - start;
    }

    /**
     * The one home of every instruction's meaning: instructions come decoded from the page of the current pc;
     * the common operations are executed right here, the others by the class that owns them. Leaves when
     * {@code recheck} is set (CSR writes, mode changes, device writes) so interrupts are looked at promptly.
     * The pc lives in a local and is written back before anything that may trap or look at it.
     */
    void runDecoded(long max, boolean untilBranch) {
        final long[] x = this.x;
        int[] desc = null, imm = null;
        Decoded page = null;
        int pageOff = 0;
        long n = 0; // retired since instret was last brought up to date
        long end = instret + max;
        final long brk = untilBranch ? 0 : -1L; // with brk 0, "end &= brk | ~((imm - 1) >> 31)" ends the loop after a jump back (to a loop head) for the block engine
        long pc = this.pc;
        try {
            while (instret + n < end) {
                if ((pc >>> 12) != fetchVpn || desc == null) {
                    this.pc = pc;
                    page = fetchPage(pc);
                    desc = page.desc;
                    imm = page.imm;
                    pageOff = fetchPageOff;
                }
                int idx = ((int) pc & 0xfff) >>> 1;
                int d = desc[idx];
                if (d <= Decoder.CROSS) { // not decoded yet, or a 4-byte instruction running into the next page
                    this.pc = pc;
                    int o = pageOff + (idx << 1);
                    long r = d == 0 ? page.decode(idx, (short) SHORT.get(ram, o) & 0xffff, idx < 2047 ? (int) INT.get(ram, o) : 0) : Decoder.CROSS;
                    if ((int) r == Decoder.CROSS) {
                        // decoded on the spot into a scratch slot; the page is looked up again after it
                        r = Decoder.decode(fetchSlow(pc));
                        crossImm[idx] = (int) (r >>> 32);
                        imm = crossImm;
                        desc = null;
                    }
                    d = (int) r;
                }
                int rd = (d >>> 8) & 63, rs1 = (d >>> 14) & 31, rs2 = (d >>> 19) & 31;
                long next = pc + ((d & Decoder.LEN4) != 0 ? 4 : 2);
                switch (d & 0xff) {
                    case Decoder.ILLEGAL -> { this.pc = pc; throw trap.set(ILLEGAL, imm[idx] & 0xffffffffL); }
                    case Decoder.LUI -> { x[rd] = imm[idx]; pc = next; }
                    case Decoder.AUIPC -> { x[rd] = pc + imm[idx]; pc = next; }
                    case Decoder.JAL -> { x[rd] = next; pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); }
                    case Decoder.JALR -> { long t = IntOps.jalrTarget(x[rs1], imm[idx]); x[rd] = next; pc = t; }
                    case Decoder.BEQ -> { if (IntOps.eq(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.BNE -> { if (IntOps.ne(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.BLT -> { if (IntOps.lt(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.BGE -> { if (IntOps.ge(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.BLTU -> { if (IntOps.ltu(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.BGEU -> { if (IntOps.geu(x[rs1], x[rs2])) { pc += imm[idx]; end &= brk | ~((imm[idx] - 1) >> 31); } else pc = next; }
                    case Decoder.LB, Decoder.LH, Decoder.LW, Decoder.LD, Decoder.LBU, Decoder.LHU, Decoder.LWU -> {
                        // one call site for all loads keeps the compiled loop small
                        this.pc = pc;
                        int op = d & 0xff;
                        x[rd] = IntOps.extend(load(IntOps.add(x[rs1], imm[idx]), LOAD_SIZE[op]), LOAD_SHIFT[op]);
                        pc = next;
                    }
                    case Decoder.SB, Decoder.SH, Decoder.SW, Decoder.SD -> { this.pc = pc; store(IntOps.add(x[rs1], imm[idx]), STORE_SIZE[d & 0xff], x[rs2]); pc = next; }
                    case Decoder.ADDI -> { x[rd] = IntOps.add(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SLTI -> { x[rd] = IntOps.slt(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SLTIU -> { x[rd] = IntOps.sltu(x[rs1], imm[idx]); pc = next; }
                    case Decoder.XORI -> { x[rd] = IntOps.xor(x[rs1], imm[idx]); pc = next; }
                    case Decoder.ORI -> { x[rd] = IntOps.or(x[rs1], imm[idx]); pc = next; }
                    case Decoder.ANDI -> { x[rd] = IntOps.and(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SLLI -> { x[rd] = IntOps.sll(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SRLI -> { x[rd] = IntOps.srl(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SRAI -> { x[rd] = IntOps.sra(x[rs1], imm[idx]); pc = next; }
                    case Decoder.ADD -> { x[rd] = IntOps.add(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SUB -> { x[rd] = IntOps.sub(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SLL -> { x[rd] = IntOps.sll(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SLT -> { x[rd] = IntOps.slt(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SLTU -> { x[rd] = IntOps.sltu(x[rs1], x[rs2]); pc = next; }
                    case Decoder.XOR -> { x[rd] = IntOps.xor(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SRL -> { x[rd] = IntOps.srl(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SRA -> { x[rd] = IntOps.sra(x[rs1], x[rs2]); pc = next; }
                    case Decoder.OR -> { x[rd] = IntOps.or(x[rs1], x[rs2]); pc = next; }
                    case Decoder.AND -> { x[rd] = IntOps.and(x[rs1], x[rs2]); pc = next; }
                    case Decoder.ADDIW -> { x[rd] = IntOps.addw(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SLLIW -> { x[rd] = IntOps.sllw(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SRLIW -> { x[rd] = IntOps.srlw(x[rs1], imm[idx]); pc = next; }
                    case Decoder.SRAIW -> { x[rd] = IntOps.sraw(x[rs1], imm[idx]); pc = next; }
                    case Decoder.ADDW -> { x[rd] = IntOps.addw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SUBW -> { x[rd] = IntOps.subw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SLLW -> { x[rd] = IntOps.sllw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SRLW -> { x[rd] = IntOps.srlw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.SRAW -> { x[rd] = IntOps.sraw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.MUL -> { x[rd] = IntOps.mul(x[rs1], x[rs2]); pc = next; }
                    case Decoder.MULW -> { x[rd] = IntOps.mulw(x[rs1], x[rs2]); pc = next; }
                    case Decoder.FENCE -> { VarHandle.fullFence(); pc = next; } // other harts' accesses are ordered by it
                    default -> { // the rest, kept out of this method so that the JIT compiles the loop well
                        this.pc = pc;
                        instret += n; // counters exact for CSR reads
                        n = 0;
                        pc = ColdOps.execute(this, d, imm[idx], next);
                    }
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

    /**
     * The decoded page of virtual address {@code pc} (translated for fetch); remembered in fetchVpn/fetchPage/fetchPageOff
     * until a mode change, a flush or a write into the page forgets it. May raise a fetch fault.
     */
    Decoded fetchPage(long pc) {
        long pa = translate(pc, EXEC);
        long off = pa - ramBase;
        if (off < 0 || off >= ramSize) throw trap.set(INSN_ACCESS, pc);
        int p = (int) (off >>> 12);
        Decoded page = decoded[p];
        if (page == null) { page = new Decoded(); decoded[p] = page; mem.markCode((int) off); }
        fetchPageOff = p << 12;
        fetchPageRef = page;
        fetchVpn = pc >>> 12;
        return page;
    }

    /** FENCE.I: decoded pages already follow every store and DMA write into them; only the fetch page is looked up again. */
    void refetch() { fetchVpn = -1; }

    /** Reads the instruction bits at {@code pc} (16 or 32), through translation; may raise a fetch fault. */
    private int fetchSlow(long pc) {
        long pa = translate(pc, EXEC);
        long off = pa - ramBase;
        if (off < 0 || off > ramSize - 2) throw trap.set(INSN_ACCESS, pc);
        if ((pc & 0xfff) <= 0xffc) return (int) INT.get(ram, (int) off);
        int lo = (short) SHORT.get(ram, (int) off) & 0xffff;
        if ((lo & 3) != 3) return lo;
        long pa2 = translate(pc + 2, EXEC); // a fault here reports pc + 2, the part of the instruction that faulted
        long off2 = pa2 - ramBase;
        if (off2 < 0 || off2 > ramSize - 2) throw trap.set(INSN_ACCESS, pc);
        return lo | (((short) SHORT.get(ram, (int) off2) & 0xffff) << 16);
    }

    /**
     * The illegal-instruction trap for the instruction at {@code pc}, which an operation found not allowed in the
     * current state (a CSR rule, FS off, a privileged instruction in a lower mode): tval is the instruction's bits.
     */
    Trap illegal() {
        long bits;
        try {
            int raw = fetchSlow(pc);
            bits = (raw & 3) == 3 ? raw & 0xffffffffL : raw & 0xffff;
        } catch (Trap t) {
            bits = 0;
        }
        return trap.set(ILLEGAL, bits);
    }

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
        traps++;
        if (interrupt) interrupts++;
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
            triggers.enterMachineTrap();
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

    void modeChanged() {
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

    void flushTlb() {
        tlb.flush();
        fetchVpn = -1;
    }

    // ---------------- address translation ----------------
    long translate(long va, int access) {
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
    // the fast paths (aligned, RAM, no data trigger) are kept small so that the JIT inlines them into translated blocks
    private long ramRead(int o, int size) {
        return switch (size) {
            case 1 -> ram[o] & 0xffL;
            case 2 -> (short) SHORT.get(ram, o) & 0xffffL;
            case 4 -> (int) INT.get(ram, o) & 0xffffffffL;
            default -> (long) LONG.get(ram, o);
        };
    }

    private void ramWrite(int o, int size, long v) {
        switch (size) {
            case 1 -> mem.ramWriteByte(o, (byte) v);
            case 2 -> mem.ramWriteShort(o, (short) v);
            case 4 -> mem.ramWriteInt(o, (int) v);
            default -> mem.ramWriteLong(o, v);
        }
    }

    long physRead(long pa, int size, long va) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) return ramRead((int) off, size);
        if (!mem.exists(pa, size)) throw trap.set(LOAD_ACCESS, va);
        return mem.read(pa, size);
    }

    void physWrite(long pa, int size, long v, long va) {
        long off = pa - ramBase;
        if (off >= 0 && off <= ramSize - size) { ramWrite((int) off, size, v); return; }
        if (!mem.exists(pa, size)) throw trap.set(STORE_ACCESS, va);
        mem.write(pa, size, v);
        recheck = true; // a device write may raise an interrupt or stop the machine
    }

    /** Loads {@code size} bytes, zero-extended; misaligned accesses are split into bytes. */
    long load(long va, int size) {
        if (((va & (size - 1)) | watch) == 0) { // aligned, and no trigger watches data
            long off = translate(va, READ) - ramBase;
            if (off >= 0 && off <= ramSize - size) return ramRead((int) off, size);
        }
        return loadSlow(va, size);
    }

    /** Devices, data triggers and misaligned loads. */
    private long loadSlow(long va, int size) {
        watchData(Triggers.LOAD, va, size);
        if ((va & (size - 1)) == 0) return physRead(translate(va, READ), size, va);
        // misaligned: translate both pages first so a fault leaves nothing half done
        long v = 0;
        for (int k = 0; k < size; k++) translate(va + k, READ);
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | physRead(translate(va + k, READ), 1, va);
        return v;
    }

    void store(long va, int size, long v) {
        if (((va & (size - 1)) | watch) == 0) {
            long off = translate(va, WRITE) - ramBase;
            if (off >= 0 && off <= ramSize - size) { ramWrite((int) off, size, v); return; }
        }
        storeSlow(va, size, v);
    }

    private void storeSlow(long va, int size, long v) {
        watchData(Triggers.STORE, va, size);
        if ((va & (size - 1)) == 0) { physWrite(translate(va, WRITE), size, v, va); return; }
        for (int k = 0; k < size; k++) translate(va + k, WRITE);
        for (int k = 0; k < size; k++) physWrite(translate(va + k, WRITE), 1, v >>> (8 * k), va);
    }

    /** A load/store address trigger fires before the access: a breakpoint exception with the address as tval. */
    void watchData(int kind, long va, int size) {
        if ((triggers.armed & kind) != 0 && triggers.fires(kind, va, size, priv)) throw trap.set(BREAKPOINT, va);
    }

    /** After a tdata1 write: which trigger checks the hart has to make from now on. */
    void triggersChanged() {
        watch = (triggers.armed & (Triggers.LOAD | Triggers.STORE)) != 0 ? 1 : 0;
        recheck = true;
    }

    // ---------------- state rules shared by the instruction classes and the CSR table ----------------
    void setRd(int insn, long v) {
        int rd = (insn >>> 7) & 31;
        if (rd != 0) x[rd] = v;
    }

    void requireFs() {
        if ((mstatus & FS) == 0) throw illegal();
    }

    boolean counterAllowed(int bit) {
        if (priv == PRIV_M) return true;
        if (((mcounteren >>> bit) & 1) == 0) return false;
        return priv == PRIV_S || ((scounteren >>> bit) & 1) != 0;
    }

    /** mstatus as read: SD summarises a dirty FS. */
    long mstatusValue() {
        long st = mstatus;
        if ((st & FS) == FS) st |= SD;
        return st;
    }

    /** Writes mstatus; cached translations are dropped only when a bit they depend on changed. */
    void setMstatus(long nv) {
        long changed = mstatus ^ nv;
        mstatus = nv;
        if ((changed & (SUM | MXR)) != 0) flushTlb(); // permissions cached in the TLB depend on them
        if ((changed & (MPRV | MPP | SUM | MXR)) != 0) modeChanged();
    }

    /** A satp write with an unsupported mode leaves satp unchanged (Linux probes Sv57, Sv48, Sv39 this way); no ASID bits. */
    void writeSatp(long v) {
        long mode = v >>> 60;
        if (mode == 0 || mode == 8 || mode == 9) {
            satp = mode << 60 | (v & 0xfffffffffffL);
            flushTlb();
            modeChanged();
        }
    }
}
