package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated device tree is a valid blob (dtc decompiles it) describing the board the kernel needs. */
class DeviceTreeTest {
    @Test
    void dtcDecompilesTheGeneratedTree() throws Exception {
        Machine m = new Machine(new Machine.Config(64L << 20, new byte[] {0x73, 0, 0x50, 0x10}, new byte[100], null,
                "console=ttyS0", Machine.Firmware.JAVA_SBI, new BufferSerial()));
        Path dtb = Files.createTempFile("slice-", ".dtb");
        Files.write(dtb, m.deviceTree());
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", dtb.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(dtb);
        assertThat(p.exitValue()).as("dtc output:%n%s", dts).isZero();
        assertThat(dts).contains("bootargs = \"console=ttyS0\"")
                .contains("riscv,isa = \"rv64imafdc_zicsr_zifencei\"")
                .contains("compatible = \"ns16550a\"")
                .contains("sifive,plic-1.0.0").contains("riscv,plic0")
                .contains("linux,initrd-start")
                .contains("reg = <0x00 0x80000000 0x00 0x4000000>")
                .contains("timebase-frequency = <0x989680>");
    }

    @Test
    void anAgentLineIsASecondUartPinnedToTtyS1() throws Exception {
        Machine m = new Machine(new Machine.Config(64L << 20, new byte[] {0x73, 0, 0x50, 0x10}, null, null,
                "console=ttyS0", Machine.Firmware.JAVA_SBI, new BufferSerial()).withAgentLine(new BufferSerial()));
        Path dtb = Files.createTempFile("slice-", ".dtb");
        Files.write(dtb, m.deviceTree());
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", dtb.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(dtb);
        assertThat(p.exitValue()).as("dtc output:%n%s", dts).isZero();
        assertThat(dts).contains("serial0 = \"/soc/serial@10000000\"").contains("serial1 = \"/soc/serial@10000100\"")
                .contains("serial@10000100 {").contains("interrupts = <0x0c>");
        // Without the line the board is as before: one UART, no aliases.
        Machine plain = new Machine(new Machine.Config(64L << 20, new byte[] {0x73, 0, 0x50, 0x10}, null, null,
                "console=ttyS0", Machine.Firmware.JAVA_SBI, new BufferSerial()));
        assertThat(new String(plain.deviceTree(), StandardCharsets.ISO_8859_1)).doesNotContain("serial@10000100").doesNotContain("aliases");
    }
}
