package dev.slice.emulator.cpu;

import dev.slice.emulator.memory.PhysicalMemory;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static java.lang.constant.ConstantDescs.*;

/**
 * Translates a trace of decoded instructions of one physical page into a hidden class ({@link TranslatedBlock}) with
 * the JDK's {@code java.lang.classfile} API. It writes no instruction's meaning itself: integer operations and branch
 * conditions become calls to their home in {@link IntOps}, loads and stores calls to {@link Hart#load}/{@link Hart#store},
 * division, multiply-high and the F/D instructions calls to {@link ColdOps#execute}. The trace follows fall-through
 * paths past conditional branches (taken branches leave the block) and {@code jal} within the page; it ends at
 * {@code jalr}, at an instruction not translated (CSRs, system, atomics: the interpreter runs them), at the page's end
 * or after {@link #MAX} instructions. A branch or jump back to the block's start loops inside the block.
 * <p>Precise state: {@code h.pc} is set before every instruction that may trap, the retired count is added at each
 * exit, and {@link TranslatedBlock#retiredBefore} gives it for a trap; a store (or a cold operation) that asked for a
 * recheck (a device access, a write into code) leaves the block after it.
 */
final class BlockTranslator {
    static final int MAX = 64;
    private static final ClassDesc HART = ClassDesc.of("dev.slice.emulator.cpu.Hart");
    private static final ClassDesc BLOCK = ClassDesc.of("dev.slice.emulator.cpu.TranslatedBlock");
    private static final ClassDesc INT_OPS = ClassDesc.of("dev.slice.emulator.cpu.IntOps");
    private static final ClassDesc COLD_OPS = ClassDesc.of("dev.slice.emulator.cpu.ColdOps");
    private static final ClassDesc TRAP = ClassDesc.of("dev.slice.emulator.cpu.Trap");
    private static final ClassDesc VAR_HANDLE = ClassDesc.of("java.lang.invoke.VarHandle");
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_long, HART, CD_long.arrayType(), CD_long, CD_long);
    private static final MethodTypeDesc BINARY = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc CONDITION = MethodTypeDesc.of(CD_boolean, CD_long, CD_long);
    private static final MethodTypeDesc EXTEND = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc LOAD = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc STORE = MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long);
    private static final MethodTypeDesc COLD = MethodTypeDesc.of(CD_long, HART, CD_int, CD_int, CD_long);
    // locals of run(): this, hart, x, vpc, last, a scratch long, then x1..x31 (see Regs)
    private static final int H = 1, X = 2, VPC = 3, LAST = 5, TMP = 7;

    private final MethodHandles.Lookup lookup = MethodHandles.lookup();
    private long count;

    /** One instruction of the trace: its halfword in the page, descriptor, immediate and byte offset from the start. */
    private record Step(int idx, int d, int imm, int off) {
        int op() { return d & 0xff; }
        int rd() { return (d >>> 8) & 63; }
        int rs1() { return (d >>> 14) & 31; }
        int rs2() { return (d >>> 19) & 31; }
        int next() { return off + ((d & Decoder.LEN4) != 0 ? 4 : 2); }
    }

    long count() { return count; }

    /** The block starting at halfword {@code start} of {@code page} (at RAM offset {@code pageOff}), or {@link TranslatedBlock#NONE}. */
    TranslatedBlock translate(PhysicalMemory mem, Decoded page, int pageOff, int start) {
        List<Step> trace = trace(mem, page, pageOff, start);
        if (trace.isEmpty()) return TranslatedBlock.NONE;
        List<Integer> trapOffsets = new ArrayList<>();
        byte[] bytes = ClassFile.of().build(ClassDesc.of("dev.slice.emulator.cpu.Block"), cls -> cls
                .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC)
                .withSuperclass(BLOCK)
                .withMethodBody(INIT_NAME, MTD_void, 0, c -> c.aload(0).invokespecial(BLOCK, INIT_NAME, MTD_void).return_())
                .withMethodBody("run", RUN, ClassFile.ACC_FINAL, c -> emit(c, trace, trapOffsets)));
        try {
            MethodHandles.Lookup hidden = lookup.defineHiddenClass(bytes, true);
            TranslatedBlock b = (TranslatedBlock) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
            int[] offs = new int[trapOffsets.size()], retired = new int[offs.length];
            for (int i = 0; i < offs.length; i++) {
                offs[i] = trapOffsets.get(i);
                for (int k = 0; k < trace.size(); k++) if (trace.get(k).off() == offs[i]) retired[i] = k;
            }
            b.describe(trace.size(), offs, retired);
            count++;
            return b;
        } catch (Throwable e) {
            throw new IllegalStateException("translating the block at page offset " + (start << 1) + " failed", e);
        }
    }

    /** Which instructions the block holds, in execution order along its fall-through path. */
    private static List<Step> trace(PhysicalMemory mem, Decoded page, int pageOff, int start) {
        List<Step> steps = new ArrayList<>();
        boolean[] seen = new boolean[2048];
        int idx = start, off = 0;
        while (steps.size() < MAX && idx < 2048 && !seen[idx]) {
            int d = page.desc[idx];
            if (d == 0) {
                int o = pageOff + (idx << 1);
                d = (int) page.decode(idx, mem.ramShort(o) & 0xffff, idx < 2047 ? mem.ramInt(o) : 0);
            }
            if (d <= Decoder.ILLEGAL || !translated(d & 0xff)) break;
            Step s = new Step(idx, d, page.imm[idx], off);
            steps.add(s);
            seen[idx] = true;
            int op = s.op();
            if (op == Decoder.JALR) break;
            if (op == Decoder.JAL) {
                int target = (idx << 1) + s.imm();
                if (target < 0 || target >= 4096 || seen[target >>> 1]) break; // leaves the page, or loops: the end
                off += target - (idx << 1);
                idx = target >>> 1;
                continue;
            }
            idx += (s.next() - s.off()) >>> 1;
            off = s.next();
        }
        return steps;
    }

    private static boolean translated(int op) {
        if (IntOps.method(op) != null) return true;
        return switch (op) {
            case Decoder.LUI, Decoder.AUIPC, Decoder.JAL, Decoder.JALR, Decoder.FENCE,
                 Decoder.LB, Decoder.LH, Decoder.LW, Decoder.LD, Decoder.LBU, Decoder.LHU, Decoder.LWU,
                 Decoder.SB, Decoder.SH, Decoder.SW, Decoder.SD -> true;
            default -> cold(op);
        };
    }

    /** Operations that never change control flow or mode, run through their home in {@link ColdOps}. */
    private static boolean cold(int op) {
        return (op >= Decoder.MULH && op <= Decoder.REMUW) || (op >= Decoder.FLW && op <= Decoder.FP_OP);
    }

    private static void emit(CodeBuilder c, List<Step> trace, List<Integer> trapOffsets) {
        Regs g = new Regs(trace);
        for (int r = 1; r < 32; r++) if (g.used[r]) { c.aload(X); c.loadConstant(r); c.laload(); c.lstore(slot(r)); }
        Label top = c.newLabel(), end = c.newLabel(), handler = c.newLabel();
        c.labelBinding(top);
        c.exceptionCatch(top, end, handler, TRAP);
        for (int i = 0; i < trace.size(); i++) {
            Step s = trace.get(i);
            int op = s.op(), retired = i + 1;
            String m = IntOps.method(op);
            switch (op) {
                case Decoder.LUI -> { c.loadConstant((long) s.imm()); setRegister(c, s.rd()); }
                case Decoder.AUIPC -> { pcAt(c, s.off() + (long) s.imm()); setRegister(c, s.rd()); }
                case Decoder.JAL -> {
                    pcAt(c, s.next()); setRegister(c, s.rd());
                    long to = s.off() + (long) s.imm();
                    boolean followed = i + 1 < trace.size() && trace.get(i + 1).off() == to;
                    if (!followed) exit(c, g, to, retired, top);
                }
                case Decoder.JALR -> {
                    register(c, s.rs1()); c.loadConstant((long) s.imm()); c.invokestatic(INT_OPS, "jalrTarget", BINARY); c.lstore(TMP);
                    pcAt(c, s.next()); setRegister(c, s.rd());
                    writeBack(c, g);
                    count(c, retired);
                    c.lload(TMP); c.lreturn();
                }
                case Decoder.BEQ, Decoder.BNE, Decoder.BLT, Decoder.BGE, Decoder.BLTU, Decoder.BGEU -> {
                    Label fall = c.newLabel();
                    register(c, s.rs1()); register(c, s.rs2()); c.invokestatic(INT_OPS, m, CONDITION);
                    c.ifeq(fall);
                    exit(c, g, s.off() + (long) s.imm(), retired, top);
                    c.labelBinding(fall);
                }
                case Decoder.LB, Decoder.LH, Decoder.LW, Decoder.LD, Decoder.LBU, Decoder.LHU, Decoder.LWU -> {
                    setPc(c, s.off());
                    trapOffsets.add(s.off());
                    c.aload(H); address(c, s); c.loadConstant(Hart.loadSize(op)); c.invokevirtual(HART, "load", LOAD);
                    c.loadConstant(Hart.loadShift(op)); c.invokestatic(INT_OPS, "extend", EXTEND);
                    setRegister(c, s.rd());
                }
                case Decoder.SB, Decoder.SH, Decoder.SW, Decoder.SD -> {
                    setPc(c, s.off());
                    trapOffsets.add(s.off());
                    c.aload(H); address(c, s); c.loadConstant(Hart.storeSize(op)); register(c, s.rs2());
                    c.invokevirtual(HART, "store", STORE);
                    exitOnRecheck(c, g, s.next(), retired);
                }
                case Decoder.FENCE -> c.invokestatic(VAR_HANDLE, "fullFence", MTD_void);
                default -> {
                    if (m != null) { // an integer operation: rd = IntOps.m(rs1, rs2 or the immediate)
                        if (s.rd() == Decoder.SINK) break;
                        register(c, s.rs1());
                        if (IntOps.immediateForm(op)) c.loadConstant((long) s.imm()); else register(c, s.rs2());
                        c.invokestatic(INT_OPS, m, BINARY);
                        setRegister(c, s.rd());
                    } else { // division, multiply-high, F and D: their home in ColdOps, which works on h.x itself
                        setPc(c, s.off());
                        trapOffsets.add(s.off());
                        writeBack(c, g);
                        c.aload(H); c.loadConstant(s.d()); c.loadConstant(s.imm()); pcAt(c, s.next());
                        c.invokestatic(COLD_OPS, "execute", COLD);
                        c.pop2();
                        reload(c, g);
                        exitOnRecheck(c, g, s.next(), retired);
                    }
                }
            }
        }
        Step last = trace.getLast();
        if (last.op() != Decoder.JALR && last.op() != Decoder.JAL) exit(c, g, last.next(), trace.size(), top);
        c.labelBinding(end);
        c.labelBinding(handler); // a trap inside: the registers go back to x before it leaves
        writeBack(c, g);
        c.athrow();
    }

    /**
     * Guest registers live in JVM locals inside a block: every register the trace uses is loaded once before the
     * loop label; the ones it writes are stored back to {@code x} at each exit, before a call into {@link ColdOps}
     * (which reads and writes {@code x} itself; all are loaded again after it) and, by the block's {@link Trap}
     * handler, before a trap leaves it.
     */
    private static final class Regs {
        final boolean[] used = new boolean[32], written = new boolean[32];

        Regs(List<Step> trace) {
            for (Step s : trace) {
                used[s.rs1()] = used[s.rs2()] = true; // a field the operation does not read costs one load at most
                if (s.rd() != Decoder.SINK && !cold(s.op())) used[s.rd()] = written[s.rd()] = true;
            }
            used[0] = written[0] = false;
        }
    }

    private static int slot(int r) { return TMP + 2 * r; }

    /** Stores the value on the stack into register {@code rd} (dropped for x0). */
    private static void setRegister(CodeBuilder c, int rd) {
        if (rd == Decoder.SINK || rd == 0) c.pop2(); else c.lstore(slot(rd));
    }

    private static void register(CodeBuilder c, int r) {
        if (r == 0) c.lconst_0(); else c.lload(slot(r));
    }

    private static void writeBack(CodeBuilder c, Regs g) {
        for (int r = 1; r < 32; r++) if (g.written[r]) { c.aload(X); c.loadConstant(r); c.lload(slot(r)); c.lastore(); }
    }

    private static void reload(CodeBuilder c, Regs g) {
        for (int r = 1; r < 32; r++) if (g.used[r]) { c.aload(X); c.loadConstant(r); c.laload(); c.lstore(slot(r)); }
    }

    /** The effective address x[rs1] + imm, through the same home as the interpreter's. */
    private static void address(CodeBuilder c, Step s) {
        register(c, s.rs1()); c.loadConstant((long) s.imm()); c.invokestatic(INT_OPS, "add", BINARY);
    }

    private static void pcAt(CodeBuilder c, long off) {
        c.lload(VPC);
        if (off != 0) { c.loadConstant(off); c.ladd(); }
    }

    private static void setPc(CodeBuilder c, long off) { c.aload(H); pcAt(c, off); c.putfield(HART, "pc", CD_long); }

    private static void count(CodeBuilder c, int retired) {
        c.aload(H); c.dup(); c.getfield(HART, "instret", CD_long); c.loadConstant((long) retired); c.ladd();
        c.putfield(HART, "instret", CD_long);
    }

    /** Leaves the block for {@code to} (offset from the start); to the start itself it loops while budget remains. */
    private static void exit(CodeBuilder c, Regs g, long to, int retired, Label top) {
        count(c, retired);
        if (to == 0) {
            Label out = c.newLabel();
            c.aload(H); c.getfield(HART, "recheck", CD_boolean); c.ifne(out);
            c.aload(H); c.getfield(HART, "instret", CD_long); c.lload(LAST); c.lcmp(); c.ifle(top);
            c.labelBinding(out);
        }
        writeBack(c, g);
        pcAt(c, to);
        c.lreturn();
    }

    private static void exitOnRecheck(CodeBuilder c, Regs g, int next, int retired) {
        Label on = c.newLabel();
        c.aload(H); c.getfield(HART, "recheck", CD_boolean); c.ifeq(on);
        writeBack(c, g); count(c, retired); pcAt(c, next); c.lreturn();
        c.labelBinding(on);
    }
}
