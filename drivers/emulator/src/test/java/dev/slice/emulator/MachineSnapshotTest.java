package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import dev.slice.emulator.cpu.Hart;
import dev.slice.emulator.devices.Clint;
import dev.slice.emulator.devices.Plic;
import dev.slice.emulator.devices.Uart16550;
import dev.slice.emulator.net.PacketPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A machine written to a file and restored into a fresh one of the same shape is the same machine: every hart's
 * and device's state and all of RAM, and from there both run on identically. A snapshot that does not fit the
 * machine, or is damaged, is refused with what is wrong.
 */
class MachineSnapshotTest {
    @TempDir Path dir;

    /**
     * A bare M-mode program that keeps a counter in x5 and in RAM, sums it in a double (f2), takes an LR
     * reservation, and has CSRs set: enough state that a lost field shows.
     */
    private static byte[] program() {
        int[] code = {
                auipc(6, 0x10),                  // x6 = 0x80010000: the counter's address
                addi(5, 0, 0),
                lui(8, 0x6), csr(0x2, 0x300, 8), // mstatus.FS = dirty: the FPU on
                csrwi(0x340, 5),                 // mscratch = 5
                lui(9, 0x80), csr(0x1, 0x305, 9),// mtvec
                // loop: the reservation taken at its end is used by the sc at its start, across a suspend too
                3 << 27 | 5 << 20 | 6 << 15 | 3 << 12 | 15 << 7 | 0x2f,   // sc.d x15, x5, (x6)
                addi(5, 5, 1),
                sd(5, 6, 0),
                0x69 << 25 | 2 << 20 | 5 << 15 | 7 << 12 | 1 << 7 | 0x53, // fcvt.d.l f1, x5
                1 << 25 | 1 << 20 | 2 << 15 | 7 << 12 | 2 << 7 | 0x53,    // fadd.d f2, f2, f1
                0x71 << 25 | 2 << 15 | 13 << 7 | 0x53,                    // fmv.x.d x13, f2
                csrr(11, 0x340),                                          // mscratch
                csrr(12, 0x300),                                          // mstatus
                csrr(14, 0x003),                                          // fcsr
                2 << 27 | 6 << 15 | 3 << 12 | 10 << 7 | 0x2f,             // lr.d x10, (x6)
                addi(7, 7, 3),
                jal(0, -44),
        };
        ByteBuffer b = ByteBuffer.allocate(code.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c : code) b.putInt(c);
        return b.array();
    }

    private int machines;

    private Machine machine(PacketPair cable) throws IOException {
        Path disk = Files.write(dir.resolve("disk-" + machines++ + ".img"), new byte[1 << 20]);
        return new Machine(new Machine.Config(32L << 20, program(), null, disk, "", Machine.Firmware.NONE,
                new BufferSerial(), null, 1, new BufferSerial()), new Machine.Nic(new byte[] {0x52, 0x54, 0, 1, 2, 3}, cable.a()));
    }

    @Test
    void aRestoredMachineIsTheSavedOneAndRunsOnAlike() throws Exception {
        Machine first = machine(new PacketPair());
        // device state a guest's drivers would leave: PLIC priorities and enables, UART registers, a CLINT deadline
        first.memory().write(Plic.BASE + 4 * Uart16550.IRQ, 4, 5);
        first.memory().write(Plic.BASE + 0x2000, 4, 1 << Uart16550.IRQ);
        first.memory().write(Uart16550.BASE + 3, 1, 0x03);
        first.memory().write(Uart16550.BASE + 1, 1, 0x01);
        first.memory().write(Uart16550.BASE + 7, 1, 0x5a);
        first.memory().write(Clint.BASE + 0x4000, 8, 0x123456789L);
        assertThat(first.run(300_123)).as("stopped by the budget, not the guest").isEqualTo(-1);
        Path file = dir.resolve("machine.state");
        MachineSnapshot.save(first, file);

        Machine second = machine(new PacketPair());
        MachineSnapshot.restore(second, file);
        Hart a = first.hart(), b = second.hart();
        assertThat(MachineSnapshot.state(second)).isEqualTo(MachineSnapshot.state(first));
        assertThat(second.memory().ram).isEqualTo(first.memory().ram);
        assertThat(b.x(5)).isGreaterThan(20_000).isEqualTo(a.x(5));
        assertThat(second.memory().read(0x80010000L, 8)).isEqualTo(a.x(5));
        assertThat(b.pc()).isEqualTo(a.pc());
        assertThat(second.mtime()).as("the clock goes on from the saved time").isGreaterThanOrEqualTo(first.mtime() - 10_000_000);

        assertThat(first.run(200_000)).isEqualTo(-1);
        assertThat(second.run(200_000)).isEqualTo(-1);
        assertThat(MachineSnapshot.state(second)).as("both run on alike").isEqualTo(MachineSnapshot.state(first));
        for (int i = 1; i < 32; i++) assertThat(b.x(i)).as("x" + i).isEqualTo(a.x(i));
        assertThat(b.x(11)).as("mscratch read back").isEqualTo(5);
        assertThat(b.x(12) & 0x6000).as("mstatus.FS").isEqualTo(0x6000);
        assertThat(Double.longBitsToDouble(b.x(13))).as("the sum in f2").isGreaterThan(1e8);
        assertThat(b.x(15)).as("the last sc.d kept its reservation").isZero();
        assertThat(b.instret()).isEqualTo(a.instret());
        assertThat(second.memory().ram).isEqualTo(first.memory().ram);
        assertThat(Files.size(file)).as("RAM compressed, zero pages left out").isLessThan(1 << 20);
    }

    @Test
    void aSnapshotOfAnotherShapeOrDamagedIsRefused() throws Exception {
        Machine first = machine(new PacketPair());
        first.run(10_000);
        Path file = dir.resolve("machine.state");
        MachineSnapshot.save(first, file);

        Machine bigger = new Machine(new Machine.Config(64L << 20, program(), null, null, "", Machine.Firmware.NONE,
                new BufferSerial(), null, 1, null));
        assertThatThrownBy(() -> MachineSnapshot.restore(bigger, file)).isInstanceOf(IOException.class)
                .hasMessageContaining("32 MiB of RAM").hasMessageContaining("64 MiB of RAM");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Path damaged = dir.resolve("damaged.state");
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> MachineSnapshot.restore(machine(new PacketPair()), damaged)).hasMessageContaining("damaged");
        Files.write(damaged, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> MachineSnapshot.restore(machine(new PacketPair()), damaged))
                .hasMessageContaining("not a machine snapshot");
    }

    // ---- a few RV64 encodings ----
    private static int addi(int rd, int rs1, int imm) { return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13; }
    private static int lui(int rd, int imm20) { return imm20 << 12 | rd << 7 | 0x37; }
    private static int auipc(int rd, int imm20) { return imm20 << 12 | rd << 7 | 0x17; }
    private static int sd(int rs2, int rs1, int imm) { return (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (imm & 31) << 7 | 0x23; }
    /** csrrw (funct3 1) or csrrs (2) x0, csr, rs1 */
    private static int csr(int funct3, int csr, int rs1) { return csr << 20 | rs1 << 15 | funct3 << 12 | 0x73; }
    private static int csrr(int rd, int csr) { return csr << 20 | 2 << 12 | rd << 7 | 0x73; }
    private static int csrwi(int csr, int imm) { return csr << 20 | imm << 15 | 5 << 12 | 0x73; }

    private static int jal(int rd, int offset) {
        int imm = offset & 0x1fffff;
        return ((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20 | ((imm >> 12) & 0xff) << 12
                | rd << 7 | 0x6f;
    }
}
