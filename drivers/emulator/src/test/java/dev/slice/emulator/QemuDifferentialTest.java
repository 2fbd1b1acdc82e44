package dev.slice.emulator;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the same programs under qemu-system-riscv64 (TCG) and compares the console line by line: one hash of
 * (result, fflags) per instruction, rounding mode and operand grid (alu, fpu), and of the registers after
 * 2,000 random instruction streams with random fields, illegal encodings included (fuzz).
 * (priv is not compared: QEMU 7.2 differs from the specification in two of its checks: it reports a misaligned
 * AMO as a load-address-misaligned exception where store/AMO-address-misaligned is asked for, and a CSRRS/CSRRC
 * on mip latches the PLIC's SEIP line into the software-writable bit; everything else in priv passes under QEMU.)
 */
class QemuDifferentialTest {
    @ParameterizedTest
    @ValueSource(strings = {"alu", "fpu", "fuzz"})
    void consoleMatchesQemu(String name) throws Exception {
        Path elf = TestPrograms.elf(name);
        String qemu = runQemu(elf);
        TestPrograms.Result ours = TestPrograms.run(name);
        List<String> q = qemu.lines().toList();
        List<String> o = ours.console().lines().toList();
        assertThat(q).as("QEMU output of %s", name).hasSizeGreaterThan(20);
        assertThat(o).as("emulator output of %s compared with QEMU's", name).containsExactlyElementsOf(q);
    }

    static String runQemu(Path elf) throws Exception {
        if (!new File("/usr/bin/qemu-system-riscv64").canExecute()) {
            fail("qemu-system-riscv64 is missing: run deploy/emulator/build.sh (it installs qemu-system-misc)");
        }
        Path out = Files.createTempFile("qemu-", ".out");
        try {
            // QEMU's default rv64 CPU also decodes the bit-manipulation extensions: compare plain RV64GC
            Process p = new ProcessBuilder("qemu-system-riscv64", "-machine", "virt",
                    "-cpu", "rv64,zba=false,zbb=false,zbc=false,zbs=false", "-bios", "none", "-m", "128M",
                    "-nographic", "-kernel", elf.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); fail("QEMU did not finish " + elf); }
            return Files.readString(out, StandardCharsets.ISO_8859_1).replace("\r", "");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
