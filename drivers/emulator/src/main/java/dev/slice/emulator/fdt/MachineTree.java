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

    public record Layout(long ramBase, long ramSize, String bootargs, long initrdStart, long initrdEnd, boolean hasDisk) { }

    public static byte[] build(Layout l) {
        FdtBuilder t = new FdtBuilder();
        t.beginNode("");
        t.cells("#address-cells", 2).cells("#size-cells", 2);
        t.string("compatible", "riscv-virtio").string("model", "slice,riscv-virtio");

        t.beginNode("chosen");
        t.string("bootargs", l.bootargs());
        t.string("stdout-path", "/soc/serial@" + hex(Uart16550.BASE));
        if (l.initrdEnd() > l.initrdStart()) t.longs("linux,initrd-start", l.initrdStart()).longs("linux,initrd-end", l.initrdEnd());
        t.endNode();

        t.beginNode("memory@" + hex(l.ramBase()));
        t.string("device_type", "memory").longs("reg", l.ramBase(), l.ramSize());
        t.endNode();

        t.beginNode("cpus");
        t.cells("#address-cells", 1).cells("#size-cells", 0).cells("timebase-frequency", TIMEBASE_HZ);
        t.beginNode("cpu@0");
        t.string("device_type", "cpu").cells("reg", 0).string("status", "okay").string("compatible", "riscv");
        t.string("riscv,isa", "rv64imafdc_zicsr_zifencei");
        t.string("mmu-type", "riscv,sv48");
        t.beginNode("interrupt-controller");
        t.cells("#interrupt-cells", 1).prop("interrupt-controller").string("compatible", "riscv,cpu-intc").cells("phandle", PHANDLE_CPU_INTC);
        t.endNode();
        t.endNode();
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
        t.cells("interrupts-extended", PHANDLE_CPU_INTC, 3, PHANDLE_CPU_INTC, 7);
        t.endNode();

        t.beginNode("plic@" + hex(Plic.BASE));
        t.string("compatible", "sifive,plic-1.0.0", "riscv,plic0").longs("reg", Plic.BASE, Plic.SIZE);
        t.cells("#address-cells", 0).cells("#interrupt-cells", 1).prop("interrupt-controller");
        t.cells("interrupts-extended", PHANDLE_CPU_INTC, 11, PHANDLE_CPU_INTC, 9);
        t.cells("riscv,ndev", Plic.SOURCES - 1).cells("phandle", PHANDLE_PLIC);
        t.endNode();

        t.beginNode("serial@" + hex(Uart16550.BASE));
        t.string("compatible", "ns16550a").longs("reg", Uart16550.BASE, Uart16550.SIZE);
        t.cells("clock-frequency", 3686400).cells("interrupts", Uart16550.IRQ).cells("interrupt-parent", PHANDLE_PLIC);
        t.endNode();

        if (l.hasDisk()) {
            t.beginNode("virtio_mmio@" + hex(VirtioBlock.BASE));
            t.string("compatible", "virtio,mmio").longs("reg", VirtioBlock.BASE, VirtioBlock.SIZE);
            t.cells("interrupts", VirtioBlock.IRQ).cells("interrupt-parent", PHANDLE_PLIC);
            t.endNode();
        }
        t.endNode(); // soc
        t.endNode(); // root
        return t.build();
    }

    private static String hex(long v) { return Long.toHexString(v); }
}
