package dev.slice.emulator.cpu;

import java.lang.invoke.VarHandle;

import static dev.slice.emulator.cpu.Csr.*;

/** The privileged instructions: CSR access (through {@link CsrTable}), ecall, mret, sret, wfi, sfence.vma. */
final class Privileged {
    private Privileged() { }

    /**
     * CSRRW/CSRRS/CSRRC and their immediate forms. {@code op} is the decoded operation, {@code csr} the number,
     * {@code rs1} the source register or the 5-bit immediate.
     */
    static void csr(Hart h, int op, int rd, int rs1, int csr) {
        boolean imm = op >= Decoder.CSRRWI;
        int kind = op - (imm ? Decoder.CSRRWI : Decoder.CSRRW); // 0 write, 1 set, 2 clear
        long src = imm ? rs1 : h.x[rs1];
        boolean writes = kind == 0 || rs1 != 0;
        CsrTable.Def c = CsrTable.get(csr);
        if (c == null || ((csr >>> 8) & 3) > h.priv || !c.access().allows(h)) throw h.illegal();
        if (writes && ((csr >>> 10) == 3 || c.write() == null)) throw h.illegal();
        long old = c.read().read(h);
        if (writes) {
            long base = c.rmwBase() == null ? old : c.rmwBase().read(h);
            c.write().write(h, kind == 0 ? src : kind == 1 ? base | src : base & ~src);
            if (c.endsBatch()) h.recheck = true;
        }
        h.x[rd] = old;
    }

    /** ECALL: answered by the Java SBI when one is installed and the call comes from S-mode, else a trap. */
    static void ecall(Hart h, long next) {
        if (h.priv == Hart.PRIV_S && h.ecallHandler != null && h.ecallHandler.ecall(h)) {
            h.pc = next;
            h.recheck = true;
            return;
        }
        throw h.trap.set(h.priv == Hart.PRIV_U ? ECALL_U : h.priv == Hart.PRIV_S ? ECALL_S : ECALL_M, 0);
    }

    static void mret(Hart h) {
        if (h.priv != Hart.PRIV_M) throw h.illegal();
        long st = h.mstatus;
        int mpp = (int) ((st >>> 11) & 3);
        st = (st & ~MIE_BIT) | ((st & MPIE) != 0 ? MIE_BIT : 0);
        st |= MPIE;
        st &= ~MPP;
        if (mpp != Hart.PRIV_M) st &= ~MPRV;
        h.mstatus = st;
        h.priv = mpp;
        h.pc = h.mepc;
        h.triggers.returnFromMachineTrap();
        h.modeChanged();
    }

    static void sret(Hart h) {
        if (h.priv == Hart.PRIV_U || (h.priv == Hart.PRIV_S && (h.mstatus & TSR) != 0)) throw h.illegal();
        long st = h.mstatus;
        int spp = (st & SPP) != 0 ? Hart.PRIV_S : Hart.PRIV_U;
        st = (st & ~SIE_BIT) | ((st & SPIE) != 0 ? SIE_BIT : 0);
        st |= SPIE;
        st &= ~SPP;
        st &= ~MPRV;
        h.mstatus = st;
        h.priv = spp;
        h.pc = h.sepc;
        h.modeChanged();
    }

    /** Zihintpause: a fence (pause is a fence to a hart without the extension), then {@link SpinWait} decides how to wait. */
    static void pause(Hart h) {
        VarHandle.fullFence();
        if (h.spin.pause(++h.pauses)) h.kick();
    }

    static void wfi(Hart h, long next) {
        if (h.priv == Hart.PRIV_U || (h.priv == Hart.PRIV_S && (h.mstatus & TW) != 0)) throw h.illegal();
        h.pc = next;
        if (h.pendingInterrupts() == 0) { h.waiting = true; h.recheck = true; h.wfiSleeps++; }
    }

    static void sfenceVma(Hart h) {
        if (h.priv == Hart.PRIV_U || (h.priv == Hart.PRIV_S && (h.mstatus & TVM) != 0)) throw h.illegal();
        h.flushTlb();
    }
}
