package dev.slice.emulator.fdt;

import dev.slice.emulator.devices.Clint;
import dev.slice.emulator.devices.Plic;
import dev.slice.emulator.devices.TestDevice;
import dev.slice.emulator.devices.Uart16550;
import dev.slice.emulator.devices.VirtioBlock;

/** The device tree of Slice's virt-like board, as the kernel (or firmware) reads it. */
public final class MachineTree {
    public static final int TIMEBASE_HZ = 10_000_000;
    private static final int PHANDLE_CPU_INTC = 1, PHANDLE_PLIC = 2, PHANDLE_TEST = 3;

    private MachineTree() { }

    public record Layout(long ramBase, long ramSize, String bootargs, long initrdStart, long initrdEnd, boolean hasDisk, int harts,
                         boolean agentLine) {
        public Layout {
            if (harts < 1) throw new IllegalArgumentException("harts must be at least 1: " + harts);
        }

        public Layout(long ramBase, long ramSize, String bootargs, long initrdStart, long initrdEnd, boolean hasDisk, int harts) {
            this(ramBase, ramSize, bootargs, initrdStart, initrdEnd, hasDisk, harts, false);
        }

        public Layout(long ramBase, long ramSize, String bootargs, long initrdStart, long initrdEnd, boolean hasDisk) {
            this(ramBase, ramSize, bootargs, initrdStart, initrdEnd, hasDisk, 1);
        }
    }

    /** A virtio-mmio device beyond the block device (the network card): its registers and PLIC source. */
    public record VirtioSlot(long base, long size, int irq) { }

    /** The phandle of hart {@code h}'s interrupt controller. */
    private static int intc(int h) { return h == 0 ? PHANDLE_CPU_INTC : 16 + h; }

    /** interrupts-extended naming, for every hart, its lines {@code lines}. */
    private static int[] perHart(int harts, int... lines) {
        int[] cells = new int[harts * lines.length * 2];
        int k = 0;
        for (int h = 0; h < harts; h++) for (int line : lines) { cells[k++] = intc(h); cells[k++] = line; }
        return cells;
    }

    public static byte[] build(Layout l) {
        return build(l, java.util.List.of());
    }

    /** The tree with more virtio-mmio devices ({@code virtio}) after the block device. */
    public static byte[] build(Layout l, java.util.List<VirtioSlot> virtio) {
        FdtBuilder t = new FdtBuilder();
        t.beginNode("");
        t.cells("#address-cells", 2).cells("#size-cells", 2);
        t.string("compatible", "riscv-virtio").string("model", "slice,riscv-virtio");

        t.beginNode("chosen");
        t.string("bootargs", l.bootargs());
        t.string("stdout-path", "/soc/serial@" + hex(Uart16550.BASE));
        if (l.initrdEnd() > l.initrdStart()) t.longs("linux,initrd-start", l.initrdStart()).longs("linux,initrd-end", l.initrdEnd());
        t.endNode();

        if (l.agentLine()) {
            // Fixed names: the console stays ttyS0 and the guest agent's line is ttyS1, whatever the probe order.
            t.beginNode("aliases");
            t.string("serial0", "/soc/serial@" + hex(Uart16550.BASE));
            t.string("serial1", "/soc/serial@" + hex(dev.slice.emulator.Machine.AGENT_UART_BASE));
            t.endNode();
        }

        t.beginNode("memory@" + hex(l.ramBase()));
        t.string("device_type", "memory").longs("reg", l.ramBase(), l.ramSize());
        t.endNode();

        t.beginNode("cpus");
        t.cells("#address-cells", 1).cells("#size-cells", 0).cells("timebase-frequency", TIMEBASE_HZ);
        for (int h = 0; h < l.harts(); h++) {
            t.beginNode("cpu@" + h);
            t.string("device_type", "cpu").cells("reg", h).string("status", "okay").string("compatible", "riscv");
            t.string("riscv,isa", "rv64imafdc_zicsr_zifencei");
            t.string("mmu-type", "riscv,sv48");
            t.beginNode("interrupt-controller");
            t.cells("#interrupt-cells", 1).prop("interrupt-controller").string("compatible", "riscv,cpu-intc").cells("phandle", intc(h));
            t.endNode();
            t.endNode();
        }
        t.endNode();

        t.beginNode("soc");
        t.cells("#address-cells", 2).cells("#size-cells", 2).string("compatible", "simple-bus").prop("ranges");

        t.beginNode("test@" + hex(TestDevice.BASE));
        t.string("compatible", "sifive,test1", "sifive,test0", "syscon").longs("reg", TestDevice.BASE, TestDevice.SIZE).cells("phandle", PHANDLE_TEST);
        t.endNode();
        t.beginNode("poweroff");
        t.string("compatible", "syscon-poweroff").cells("regmap", PHANDLE_TEST).cells("offset", 0).cells("value", 0x5555);
        t.endNode();
        t.beginNode("reboot");
        t.string("compatible", "syscon-reboot").cells("regmap", PHANDLE_TEST).cells("offset", 0).cells("value", 0x7777);
        t.endNode();

        t.beginNode("clint@" + hex(Clint.BASE));
        t.string("compatible", "sifive,clint0", "riscv,clint0").longs("reg", Clint.BASE, Clint.SIZE);
        t.cells("interrupts-extended", perHart(l.harts(), 3, 7));
        t.endNode();

        t.beginNode("plic@" + hex(Plic.BASE));
        t.string("compatible", "sifive,plic-1.0.0", "riscv,plic0").longs("reg", Plic.BASE, Plic.SIZE);
        t.cells("#address-cells", 0).cells("#interrupt-cells", 1).prop("interrupt-controller");
        t.cells("interrupts-extended", perHart(l.harts(), 11, 9));
        t.cells("riscv,ndev", Plic.SOURCES - 1).cells("phandle", PHANDLE_PLIC);
        t.endNode();

        t.beginNode("serial@" + hex(Uart16550.BASE));
        t.string("compatible", "ns16550a").longs("reg", Uart16550.BASE, Uart16550.SIZE);
        t.cells("clock-frequency", 3686400).cells("interrupts", Uart16550.IRQ).cells("interrupt-parent", PHANDLE_PLIC);
        t.endNode();

        if (l.agentLine()) {
            long base = dev.slice.emulator.Machine.AGENT_UART_BASE;
            t.beginNode("serial@" + hex(base));
            t.string("compatible", "ns16550a").longs("reg", base, Uart16550.SIZE);
            t.cells("clock-frequency", 3686400).cells("interrupts", dev.slice.emulator.Machine.AGENT_UART_IRQ)
                    .cells("interrupt-parent", PHANDLE_PLIC);
            t.endNode();
        }

        if (l.hasDisk()) {
            t.beginNode("virtio_mmio@" + hex(VirtioBlock.BASE));
            t.string("compatible", "virtio,mmio").longs("reg", VirtioBlock.BASE, VirtioBlock.SIZE);
            t.cells("interrupts", VirtioBlock.IRQ).cells("interrupt-parent", PHANDLE_PLIC);
            t.endNode();
        }
        for (VirtioSlot v : virtio) {
            t.beginNode("virtio_mmio@" + hex(v.base()));
            t.string("compatible", "virtio,mmio").longs("reg", v.base(), v.size());
            t.cells("interrupts", v.irq()).cells("interrupt-parent", PHANDLE_PLIC);
            t.endNode();
        }
        t.endNode(); // soc
        t.endNode(); // root
        return t.build();
    }

    private static String hex(long v) { return Long.toHexString(v); }
}
