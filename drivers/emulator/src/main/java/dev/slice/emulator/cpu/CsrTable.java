package dev.slice.emulator.cpu;

import static dev.slice.emulator.cpu.Csr.*;

/**
 * Every CSR the hart implements, one row each: number, name, the access rule beyond the privilege encoded in the
 * number (an extension being on, a counter enabled, TVM), how it reads and how it writes. The access path in
 * {@link Privileged#csr} is one lookup; a CSR that has no row raises illegal instruction. Writes to a row whose
 * {@code write} is null (read-only) raise illegal instruction too; {@code endsBatch} marks writes that may enable
 * or raise an interrupt or change translation, after which the hart looks at interrupts before going on.
 */
final class CsrTable {
    private CsrTable() { }

    interface Access { boolean allows(Hart h); }
    interface Read { long read(Hart h); }
    interface Write { void write(Hart h, long value); }

    /** One CSR. {@code rmwBase}, when set, is what CSRRS/CSRRC modify instead of the value read (mip, sip). */
    record Def(int number, String name, Access access, Read read, Write write, Read rmwBase, boolean endsBatch) { }

    private static final Def[] TABLE = new Def[4096];
    private static final Access ANY = h -> true;
    private static final Access FP = h -> (h.mstatus & FS) != 0;
    private static final Access SATP_RULE = h -> h.priv != Hart.PRIV_S || (h.mstatus & TVM) == 0;

    static Def get(int number) { return TABLE[number]; }

    private static void add(int number, String name, Access access, Read read, Write write) {
        add(new Def(number, name, access, read, write, null, false));
    }

    private static void add(Def d) {
        if (TABLE[d.number()] != null) throw new IllegalStateException("CSR 0x" + Integer.toHexString(d.number()) + " twice");
        TABLE[d.number()] = d;
    }

    private static Access counter(int bit) { return h -> h.counterAllowed(bit); }

    static {
        // floating point (F, D): only while mstatus.FS is not Off; a write makes the state Dirty
        add(FFLAGS, "fflags", FP, h -> h.fpu.flags, (h, v) -> { h.fpu.flags = (int) (v & 31); h.mstatus |= FS; });
        add(FRM, "frm", FP, h -> h.frm, (h, v) -> { h.frm = (int) (v & 7); h.mstatus |= FS; });
        add(FCSR, "fcsr", FP, h -> ((long) h.frm << 5) | h.fpu.flags,
                (h, v) -> { h.fpu.flags = (int) (v & 31); h.frm = (int) ((v >>> 5) & 7); h.mstatus |= FS; });

        // user counters: as mcounteren/scounteren allow; hpmcounters read zero
        add(CYCLE, "cycle", counter(0), h -> h.instret + h.cycleOffset, null);
        add(TIME, "time", counter(1), h -> h.timer.getAsLong(), null);
        add(INSTRET, "instret", counter(2), h -> h.instret + h.instretOffset, null);
        for (int i = 3; i < 32; i++) add(0xC00 + i, "hpmcounter" + i, counter(i), h -> 0, null);

        // supervisor
        add(new Def(SSTATUS, "sstatus", ANY, h -> h.mstatusValue() & SSTATUS_MASK, (h, v) -> {
            long mask = SIE_BIT | SPIE | SPP | FS | SUM | MXR;
            h.setMstatus((h.mstatus & ~mask) | (v & mask));
        }, null, true));
        add(new Def(SIE, "sie", ANY, h -> h.mie & h.mideleg, (h, v) -> h.mie = (h.mie & ~h.mideleg) | (v & h.mideleg), null, true));
        add(STVEC, "stvec", ANY, h -> h.stvec, (h, v) -> h.stvec = v & ~2L);
        add(SCOUNTEREN, "scounteren", ANY, h -> h.scounteren, (h, v) -> h.scounteren = v & 0xffffffffL);
        add(SENVCFG, "senvcfg", ANY, h -> h.senvcfg, (h, v) -> h.senvcfg = v & 1);
        add(SSCRATCH, "sscratch", ANY, h -> h.sscratch, (h, v) -> h.sscratch = v);
        add(SEPC, "sepc", ANY, h -> h.sepc, (h, v) -> h.sepc = v & ~1L);
        add(SCAUSE, "scause", ANY, h -> h.scause, (h, v) -> h.scause = v);
        add(STVAL, "stval", ANY, h -> h.stval, (h, v) -> h.stval = v);
        // CSRRS/CSRRC modify the software-writable bits: lines devices drive (the PLIC's SEIP) are read, never latched
        add(new Def(SIP, "sip", ANY, h -> (h.mip | h.hwIp) & h.mideleg, (h, v) -> {
            long mask = h.mideleg & (1L << SSI);
            h.mip = (h.mip & ~mask) | (v & mask);
        }, h -> h.mip, true));
        add(new Def(SATP, "satp", SATP_RULE, h -> h.satp, Hart::writeSatp, null, true));

        // machine information
        add(MVENDORID, "mvendorid", ANY, h -> 0, null);
        add(MARCHID, "marchid", ANY, h -> 0, null);
        add(MIMPID, "mimpid", ANY, h -> 0, null);
        add(MHARTID, "mhartid", ANY, h -> h.hartId, null);
        add(MCONFIGPTR, "mconfigptr", ANY, h -> 0, null);

        // machine trap setup and handling
        add(new Def(MSTATUS, "mstatus", ANY, Hart::mstatusValue, (h, v) -> {
            long nv = (h.mstatus & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
            if (((nv >>> 11) & 3) == 2) nv &= ~MPP; // MPP is WARL: reserved value 2 reads as U
            h.setMstatus(nv);
        }, null, true));
        add(MISA, "misa", ANY, h -> MISA_VALUE, (h, v) -> { });
        add(MEDELEG, "medeleg", ANY, h -> h.medeleg, (h, v) -> h.medeleg = v & MEDELEG_WRITABLE);
        add(new Def(MIDELEG, "mideleg", ANY, h -> h.mideleg, (h, v) -> h.mideleg = v & S_INTERRUPTS, null, true));
        add(new Def(MIE, "mie", ANY, h -> h.mie, (h, v) -> h.mie = v & ALL_INTERRUPTS, null, true));
        add(MTVEC, "mtvec", ANY, h -> h.mtvec, (h, v) -> h.mtvec = v & ~2L);
        add(MCOUNTEREN, "mcounteren", ANY, h -> h.mcounteren, (h, v) -> h.mcounteren = v & 0xffffffffL);
        add(MENVCFG, "menvcfg", ANY, h -> h.menvcfg, (h, v) -> h.menvcfg = v & 1);
        add(MCOUNTINHIBIT, "mcountinhibit", ANY, h -> h.mcountinhibit, (h, v) -> h.mcountinhibit = v & 0xfffffffdL);
        add(MSCRATCH, "mscratch", ANY, h -> h.mscratch, (h, v) -> h.mscratch = v);
        add(MEPC, "mepc", ANY, h -> h.mepc, (h, v) -> h.mepc = v & ~1L);
        add(MCAUSE, "mcause", ANY, h -> h.mcause, (h, v) -> h.mcause = v);
        add(MTVAL, "mtval", ANY, h -> h.mtval, (h, v) -> h.mtval = v);
        add(new Def(MIP, "mip", ANY, h -> h.mip | h.hwIp, (h, v) -> h.mip = (h.mip & ~S_INTERRUPTS) | (v & S_INTERRUPTS),
                h -> h.mip, true));

        // machine counters (the write lands on the next instruction's count, as the instruction retires after it)
        add(MCYCLE, "mcycle", ANY, h -> h.instret + h.cycleOffset, (h, v) -> h.cycleOffset = v - h.instret - 1);
        add(MINSTRET, "minstret", ANY, h -> h.instret + h.instretOffset, (h, v) -> h.instretOffset = v - h.instret - 1);
        for (int i = 3; i < 32; i++) {
            add(0xB00 + i, "mhpmcounter" + i, ANY, h -> 0, (h, v) -> { });
            add(0x320 + i, "mhpmevent" + i, ANY, h -> 0, (h, v) -> { });
        }

        // Sdtrig (debug triggers): accessible from M-mode; Debug Mode's own CSRs (dcsr, dpc, dscratch) are not offered
        add(TSELECT, "tselect", ANY, h -> h.triggers.tselect(), (h, v) -> h.triggers.setTselect(v));
        add(new Def(TDATA1, "tdata1", ANY, h -> h.triggers.tdata1(), (h, v) -> { h.triggers.setTdata1(v); h.triggersChanged(); }, null, true));
        add(TDATA2, "tdata2", ANY, h -> h.triggers.tdata2(), (h, v) -> h.triggers.setTdata2(v));
        add(TDATA3, "tdata3", ANY, h -> 0, (h, v) -> { }); // textra: no extra match conditions (all fields WARL 0)
        add(TINFO, "tinfo", ANY, h -> Triggers.TINFO, (h, v) -> { });
        add(new Def(TCONTROL, "tcontrol", ANY, h -> h.triggers.tcontrol(), (h, v) -> h.triggers.setTcontrol(v), null, true));

        // physical memory protection: kept, not enforced; on RV64 only the even pmpcfg registers exist
        for (int i = 0; i < 16; i += 2) {
            int n = i;
            add(0x3A0 + i, "pmpcfg" + i, ANY, h -> h.pmpcfg[n], (h, v) -> h.pmpcfg[n] = v);
        }
        for (int i = 0; i < 64; i++) {
            int n = i;
            add(0x3B0 + i, "pmpaddr" + i, ANY, h -> h.pmpaddr[n], (h, v) -> h.pmpaddr[n] = v & ((1L << 54) - 1));
        }
    }
}
