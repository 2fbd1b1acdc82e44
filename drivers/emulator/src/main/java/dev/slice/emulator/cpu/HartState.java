package dev.slice.emulator.cpu;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A hart's architectural state for a machine snapshot (suspend and resume): the x and f registers, pc, privilege,
 * every CSR the table keeps (trap setup and handling, delegation, interrupt enables and pending bits, paging,
 * counters, PMP, fcsr, the debug triggers), the device-driven interrupt lines, the LR/SC reservation and whether
 * the hart waits in WFI. What the hart caches (TLB, decoded pages, translated blocks) is not state: it is rebuilt
 * from RAM after a restore. Only called while the hart does not run (its machine has stopped, or not started).
 */
public final class HartState {
    /** Bumped whenever the layout below changes; a snapshot of another version is refused. */
    public static final int VERSION = 1;

    private HartState() { }

    public static void save(Hart h, DataOutput out) throws IOException {
        h.mailbox().deliver(); // what other harts posted becomes the hart's own state (mip, a started hart)
        out.writeInt(h.hartId);
        out.writeInt(h.mailbox().state());
        for (int i = 0; i < 32; i++) out.writeLong(h.x[i]);
        for (int i = 0; i < 32; i++) out.writeLong(h.f[i]);
        out.writeLong(h.pc);
        out.writeInt(h.priv);
        out.writeInt(h.frm);
        out.writeInt(h.fpu.flags);
        for (long v : new long[] {h.mstatus, h.medeleg, h.mideleg, h.mie, h.mip, h.mtvec, h.mscratch, h.mepc, h.mcause,
                h.mtval, h.mcounteren, h.menvcfg, h.stvec, h.sscratch, h.sepc, h.scause, h.stval, h.satp, h.scounteren,
                h.senvcfg, h.mcountinhibit, h.hwIp, h.instret, h.cycleOffset, h.instretOffset, h.reservation,
                h.reservedValue}) {
            out.writeLong(v);
        }
        for (long v : h.pmpcfg) out.writeLong(v);
        for (long v : h.pmpaddr) out.writeLong(v);
        out.writeBoolean(h.waiting);
        Triggers t = h.triggers;
        long selected = t.tselect();
        out.writeLong(selected);
        out.writeLong(t.tcontrol());
        for (int i = 0; i < Triggers.COUNT; i++) {
            t.setTselect(i);
            out.writeLong(t.tdata1());
            out.writeLong(t.tdata2());
        }
        t.setTselect(selected);
    }

    public static void restore(Hart h, DataInput in) throws IOException {
        int id = in.readInt();
        if (id != h.hartId) throw new IOException("the snapshot holds hart " + id + " where the machine has hart " + h.hartId);
        int hsm = in.readInt();
        if (hsm != Mailbox.STARTED && hsm != Mailbox.STOPPED) throw new IOException("hart " + id + " in HSM state " + hsm);
        if (hsm == Mailbox.STARTED && h.mailbox().state() != Mailbox.STARTED) {
            h.mailbox().requestStart(0, 0); // a secondary hart waits stopped at power-on; its registers are set below
            h.mailbox().deliver();
        }
        for (int i = 0; i < 32; i++) h.x[i] = in.readLong();
        h.x[0] = 0;
        for (int i = 0; i < 32; i++) h.f[i] = in.readLong();
        h.pc = in.readLong();
        h.priv = in.readInt();
        if (h.priv != Hart.PRIV_M && h.priv != Hart.PRIV_S && h.priv != Hart.PRIV_U) throw new IOException("privilege " + h.priv);
        h.frm = in.readInt();
        h.fpu.flags = in.readInt();
        h.mstatus = in.readLong();
        h.medeleg = in.readLong();
        h.mideleg = in.readLong();
        h.mie = in.readLong();
        h.mip = in.readLong();
        h.mtvec = in.readLong();
        h.mscratch = in.readLong();
        h.mepc = in.readLong();
        h.mcause = in.readLong();
        h.mtval = in.readLong();
        h.mcounteren = in.readLong();
        h.menvcfg = in.readLong();
        h.stvec = in.readLong();
        h.sscratch = in.readLong();
        h.sepc = in.readLong();
        h.scause = in.readLong();
        h.stval = in.readLong();
        h.satp = in.readLong();
        h.scounteren = in.readLong();
        h.senvcfg = in.readLong();
        h.mcountinhibit = in.readLong();
        h.hwIp = in.readLong();
        h.instret = in.readLong();
        h.cycleOffset = in.readLong();
        h.instretOffset = in.readLong();
        h.reservation = in.readLong();
        h.reservedValue = in.readLong();
        for (int i = 0; i < h.pmpcfg.length; i++) h.pmpcfg[i] = in.readLong();
        for (int i = 0; i < h.pmpaddr.length; i++) h.pmpaddr[i] = in.readLong();
        h.waiting = in.readBoolean();
        Triggers t = h.triggers;
        long selected = in.readLong();
        long tcontrol = in.readLong();
        for (int i = 0; i < Triggers.COUNT; i++) {
            t.setTselect(i);
            t.setTdata1(in.readLong());
            t.setTdata2(in.readLong());
        }
        t.setTselect(selected);
        t.setTcontrol(tcontrol);
        h.triggersChanged();
        if (hsm == Mailbox.STOPPED) h.mailbox().stop();
        h.flushTlb();
        h.modeChanged();
    }
}
