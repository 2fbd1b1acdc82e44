package dev.slice.emulator;

import dev.slice.emulator.console.SerialBackend;
import dev.slice.emulator.cpu.Hart;
import dev.slice.emulator.devices.Clint;
import dev.slice.emulator.devices.InterruptSink;
import dev.slice.emulator.devices.Plic;
import dev.slice.emulator.devices.TestDevice;
import dev.slice.emulator.devices.Uart16550;
import dev.slice.emulator.devices.VirtioBlock;
import dev.slice.emulator.devices.VirtioNet;
import dev.slice.emulator.fdt.MachineTree;
import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.net.PacketBackend;
import dev.slice.emulator.sbi.Sbi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A whole RISC-V board like QEMU's virt: one or more harts (each on a thread of its own when there are several),
 * RAM at 0x80000000, CLINT, PLIC, NS16550A UART, sifive_test power device, an optional virtio-mmio block device
 * and an optional virtio-mmio network card.
 */
public final class Machine {
    public static final long RAM_BASE = 0x80000000L;
    public static final long KERNEL_OFFSET = 0x200000;

    /**
     * How the machine starts: an S-mode kernel with the SBI in Java; a bare M-mode program; or M-mode
     * firmware with the fw_dynamic hand-off (OpenSBI's fw_dynamic.bin, unmodified) that starts the kernel.
     */
    public enum Firmware { JAVA_SBI, NONE, FW_DYNAMIC }

    /** The second UART (ttyS1 in the guest): the line of Slice's guest agent, when the machine has one. */
    public static final long AGENT_UART_BASE = 0x10000100L;
    public static final int AGENT_UART_IRQ = 12;

    /** The most harts a machine has: the SBI's hart masks and the CLINT's msip words cover this many. */
    public static final int MAX_HARTS = 64;

    public record Config(long memory, byte[] kernel, byte[] initrd, Path disk, String append, Firmware firmware,
                         SerialBackend console, byte[] firmwareImage, int harts, SerialBackend agentLine) {
        public Config {
            if (memory < 16L << 20) throw new IllegalArgumentException("memory must be at least 16 MiB");
            if (harts < 1 || harts > MAX_HARTS) throw new IllegalArgumentException("harts must be 1 to " + MAX_HARTS + ": " + harts);
            if (kernel == null) throw new IllegalArgumentException("a kernel or program is required");
            if (firmware == Firmware.FW_DYNAMIC && firmwareImage == null) throw new IllegalArgumentException("FW_DYNAMIC needs a firmware image");
        }

        public Config(long memory, byte[] kernel, byte[] initrd, Path disk, String append, Firmware firmware,
                      SerialBackend console, byte[] firmwareImage, int harts) {
            this(memory, kernel, initrd, disk, append, firmware, console, firmwareImage, harts, null);
        }

        public Config(long memory, byte[] kernel, byte[] initrd, Path disk, String append, Firmware firmware, SerialBackend console) {
            this(memory, kernel, initrd, disk, append, firmware, console, null, 1);
        }

        public Config(long memory, byte[] kernel, byte[] initrd, Path disk, String append, Firmware firmware,
                      SerialBackend console, byte[] firmwareImage) {
            this(memory, kernel, initrd, disk, append, firmware, console, firmwareImage, 1);
        }

        public Config withHarts(int n) {
            return new Config(memory, kernel, initrd, disk, append, firmware, console, firmwareImage, n, agentLine);
        }

        /** With a second UART for the guest agent, on {@code line}. */
        public Config withAgentLine(SerialBackend line) {
            return new Config(memory, kernel, initrd, disk, append, firmware, console, firmwareImage, harts, line);
        }
    }

    /** A network card for the machine: the guest's MAC address and where its frames go (closed with the machine). */
    public record Nic(byte[] mac, PacketBackend backend) {
        public Nic {
            if (mac == null || mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes");
            if (backend == null) throw new IllegalArgumentException("a network card needs a packet backend");
        }
    }

    private final PhysicalMemory mem;
    private final Hart hart;
    private final Hart[] harts;
    final Clint clint;
    final Uart16550 uart;
    /** The guest agent's UART, or null. */
    final Uart16550 agentUart;
    final VirtioBlock disk;
    final Plic plic;
    final VirtioNet net;
    /** The thread that runs hart 0 (and polls the devices), woken early when a frame arrives for a sleeping guest. */
    private volatile Thread runner;
    final Sbi sbi;
    /** mtime 0 in System.nanoTime(); moved back by a resume so the guest's clock goes on from its snapshot. */
    private long startNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile boolean suspendRequested;
    private volatile boolean resetRequested;
    volatile int exitCode;
    /** Lines for the guest's power watcher, read through the SBI console (hvc0): see {@link #requestPowerOff}. */
    private final ConcurrentLinkedQueue<Integer> hostRequests = new ConcurrentLinkedQueue<>();
    private final byte[] dtb;

    public Machine(Config c) {
        this(c, null);
    }

    /** A machine with a network card ({@code nic} may be null: none). */
    public Machine(Config c, Nic nic) {
        mem = new PhysicalMemory(RAM_BASE, c.memory());
        harts = new Hart[c.harts()];
        for (int i = 0; i < harts.length; i++) harts[i] = new Hart(i, mem, this::mtime);
        hart = harts[0];
        InterruptSink[] contexts = new InterruptSink[2 * harts.length];
        for (int i = 0; i < harts.length; i++) {
            Hart h = harts[i];
            contexts[2 * i] = l -> h.setInterruptLine(11, l);
            contexts[2 * i + 1] = l -> h.setInterruptLine(9, l);
        }
        plic = new Plic(contexts);
        clint = new Clint(this::mtime, harts.length, i -> l -> harts[i].setInterruptLine(3, l), i -> l -> harts[i].setInterruptLine(7, l));
        uart = new Uart16550(c.console(), plic.line(Uart16550.IRQ));
        TestDevice.PowerControl power = new TestDevice.PowerControl() {
            @Override public void powerOff(int code) { stop(code); }
            @Override public void reset() { resetRequested = true; stop(0); }
        };
        mem.map(Clint.BASE, Clint.SIZE, clint);
        mem.map(Plic.BASE, Plic.SIZE, plic);
        mem.map(Uart16550.BASE, Uart16550.SIZE, uart);
        agentUart = c.agentLine() == null ? null : new Uart16550(c.agentLine(), plic.line(AGENT_UART_IRQ));
        if (agentUart != null) mem.map(AGENT_UART_BASE, Uart16550.SIZE, agentUart);
        mem.map(TestDevice.BASE, TestDevice.SIZE, new TestDevice(power));
        disk = c.disk() == null ? null : new VirtioBlock(mem, c.disk(), false, plic.line(VirtioBlock.IRQ));
        if (disk != null) mem.map(VirtioBlock.BASE, VirtioBlock.SIZE, disk);
        net = nic == null ? null : new VirtioNet(mem, nic.mac(), nic.backend(), plic.line(VirtioNet.IRQ));
        if (net != null) {
            mem.map(VirtioNet.BASE, VirtioNet.SIZE, net);
            net.onReceive(() -> { Thread t = runner; if (t != null) LockSupport.unpark(t); });
        }
        java.util.List<MachineTree.VirtioSlot> virtio = net == null ? java.util.List.of()
                : java.util.List.of(new MachineTree.VirtioSlot(VirtioNet.BASE, VirtioNet.SIZE, VirtioNet.IRQ));

        if (c.firmware() != Firmware.NONE) {
            if (c.firmware() == Firmware.JAVA_SBI) {
                sbi = new Sbi(mem, sbiConsole(c.console()), new Sbi.Platform() {
                    @Override public void powerOff(int code) { stop(code); }
                    @Override public void reset() { resetRequested = true; stop(0); }
                });
                sbi.attach(harts);
                for (Hart h : harts) h.setEcallHandler(sbi);
            } else {
                sbi = null;
            }
            long kernelAt = RAM_BASE + KERNEL_OFFSET;
            long entry = kernelAt;
            if (ElfImage.isElf(c.kernel())) entry = ElfImage.load(c.kernel(), mem);
            else mem.load(kernelAt, c.kernel(), 0, c.kernel().length);
            long top = RAM_BASE + c.memory();
            long dtbAt = top - 0x10000;
            long initrdStart = 0, initrdEnd = 0;
            if (c.initrd() != null) {
                initrdStart = (dtbAt - c.initrd().length) & ~0xfffL;
                initrdEnd = initrdStart + c.initrd().length;
                mem.load(initrdStart, c.initrd(), 0, c.initrd().length);
            }
            dtb = MachineTree.build(new MachineTree.Layout(RAM_BASE, c.memory(), c.append() == null ? "" : c.append(),
                    initrdStart, initrdEnd, disk != null, harts.length, agentUart != null), virtio);
            if (dtb.length > 0xe000) throw new IllegalStateException("device tree too large: " + dtb.length);
            mem.load(dtbAt, dtb, 0, dtb.length);
            if (c.firmware() == Firmware.JAVA_SBI) {
                hart.bootSupervisor(entry, 0, dtbAt);
                for (int i = 1; i < harts.length; i++) harts[i].mailbox().stop(); // until the kernel's SBI HSM hart_start
            } else {
                // fw_dynamic: the firmware at the start of RAM, told where the kernel is by struct fw_dynamic_info
                mem.load(RAM_BASE, c.firmwareImage(), 0, c.firmwareImage().length);
                long info = dtbAt + 0xf000; // the end of the device tree's 64 KiB window: clear of the initrd below it
                long[] fields = {0x4942534fL, 2, entry, 1 /* S-mode */, 0, 0 /* boot hart */};
                for (int i = 0; i < fields.length; i++) mem.write(info + 8L * i, 8, fields[i]);
                for (Hart h : harts) { // every hart enters the firmware, which picks the boot hart
                    h.setX(10, h.hartId());
                    h.setX(11, dtbAt);
                    h.setX(12, info);
                    h.setPc(RAM_BASE);
                    h.setPrivilege(Hart.PRIV_M);
                }
            }
        } else {
            sbi = null;
            dtb = MachineTree.build(new MachineTree.Layout(RAM_BASE, c.memory(), "", 0, 0, disk != null, harts.length,
                    agentUart != null), virtio);
            long entry = ElfImage.isElf(c.kernel()) ? ElfImage.load(c.kernel(), mem) : RAM_BASE;
            if (!ElfImage.isElf(c.kernel())) mem.load(RAM_BASE, c.kernel(), 0, c.kernel().length);
            mem.load(RAM_BASE + c.memory() - 0x10000, dtb, 0, dtb.length);
            for (Hart h : harts) { // out of reset: every hart at the entry in M-mode, a0 = its id
                h.setX(10, h.hartId());
                h.setX(11, RAM_BASE + c.memory() - 0x10000);
                h.setPc(entry);
                h.setPrivilege(Hart.PRIV_M);
            }
        }
    }

    /**
     * The SBI console prints where the UART does, but its input (hvc0 in the guest) is the host's request
     * channel, so a guest process reading hvc0 never takes the customer's keystrokes from the UART.
     */
    private SerialBackend sbiConsole(SerialBackend console) {
        return new SerialBackend() {
            @Override public int poll() {
                Integer b = hostRequests.poll();
                return b == null ? -1 : b;
            }
            @Override public void write(int b) { console.write(b); }
            @Override public void flush() { console.flush(); }
        };
    }

    /**
     * Asks the guest to shut down cleanly, like a power button: a line on the SBI console's input, which the
     * guest's init watches (deploy/emulator/init, with {@code slice.power=hvc0} on the kernel command line)
     * and answers by powering off. Needs the Java SBI; a guest that does not watch simply keeps running.
     */
    public void requestPowerOff() {
        for (byte b : "poweroff\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) hostRequests.add((int) b);
    }

    /**
     * Stops the machine between two batches of instructions, for {@link MachineSnapshot#save}: {@link #run} returns
     * with every hart at an instruction boundary, and the guest knows nothing of it.
     */
    public void requestSuspend() {
        suspendRequested = true;
        stopped = true;
        for (Hart h : harts) h.kick();
    }

    /** Whether {@link #run} returned for a suspend rather than the guest's power-off or reset. */
    public boolean suspendRequested() { return suspendRequested; }

    /** Sets mtime to {@code ticks} now (a resume: the guest's clock goes on from the snapshot's time). */
    void resumeClock(long ticks) { startNanos = System.nanoTime() - ticks * (1_000_000_000L / MachineTree.TIMEBASE_HZ); }

    /** Whether the guest stopped by asking for a reset (reboot) rather than a power-off. */
    public boolean resetRequested() { return resetRequested; }

    /** mtime: 10 MHz since power-on. */
    long mtime() { return (System.nanoTime() - startNanos) / (1_000_000_000L / MachineTree.TIMEBASE_HZ); }

    public Hart hart() { return hart; }
    public java.util.List<Hart> harts() { return java.util.List.of(harts); }

    /** Instructions retired by all harts. */
    public long instret() {
        long n = 0;
        for (Hart h : harts) n += h.instret();
        return n;
    }
    public PhysicalMemory memory() { return mem; }
    public byte[] deviceTree() { return dtb.clone(); }
    public boolean isStopped() { return stopped; }

    public void stop(int code) {
        exitCode = code;
        stopped = true;
        for (Hart h : harts) h.kick();
    }

    /** Runs until the guest powers off (or {@link #stop} is called); returns the exit code (0 = clean power-off). */
    public int run() throws InterruptedException {
        return run(Long.MAX_VALUE);
    }

    /** Runs at most {@code maxInstructions} (all harts together); returns the exit code, or -1 if the limit was reached first. */
    public int run(long maxInstructions) throws InterruptedException {
        runner = Thread.currentThread();
        if (harts.length > 1) return SmpRunner.run(this, maxInstructions);
        hart.mailbox().bindThread(runner);
        long budget = maxInstructions;
        while (!stopped) {
            if (budget <= 0) return -1;
            clint.tick();
            if (sbi != null) sbi.tick(hart);
            uart.poll();
            if (agentUart != null) agentUart.poll();
            if (net != null) net.poll();
            long n = hart.run(Math.min(budget, 200_000));
            budget -= n;
            if (hart.isWaiting() && !stopped) {
                uart.flush();
                if (agentUart != null) agentUart.flush();
                idle();
            }
        }
        uart.flush();
        if (agentUart != null) agentUart.flush();
        return exitCode;
    }

    /** WFI: sleeps until the next timer deadline, input, or a short while. */
    private void idle() throws InterruptedException {
        long now = mtime();
        long next = clint.mtimecmp();
        if (sbi != null && Long.compareUnsigned(sbi.timerCompare(), next) < 0) next = sbi.timerCompare();
        long waitTicks = Long.compareUnsigned(next, now) > 0 ? next - now : 0;
        long waitMicros = Math.min(waitTicks / 10, 2_000);
        if (waitMicros > 50) {
            LockSupport.parkNanos(waitMicros * 1000); // a frame for the network card unparks it early
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** The network card's frame and byte counters ({@link VirtioNet#counters}), or null without one. */
    public long[] networkCounters() { return net == null ? null : net.counters(); }

    public void close() throws IOException {
        if (net != null) net.close();
        if (disk != null) disk.close();
    }
}
