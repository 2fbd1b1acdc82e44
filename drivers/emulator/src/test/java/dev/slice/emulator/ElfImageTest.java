package dev.slice.emulator;

import dev.slice.emulator.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ELF loader refuses images that do not fit the machine with one clear line, before copying anything. */
class ElfImageTest {
    private static final long RAM = Machine.RAM_BASE;

    /** A RISC-V ELF64 with one PT_LOAD segment per {paddr, filesz, memsz}; each segment's bytes are 0x5a. */
    static byte[] elf(long entry, long[]... segments) {
        int phoff = 64, phsize = 56, data = phoff + phsize * segments.length;
        int total = data;
        for (long[] s : segments) total += (int) s[1];
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 243).putInt(20, 1).putLong(24, entry).putLong(32, phoff);
        b.putShort(52, (short) 64).putShort(54, (short) phsize).putShort(56, (short) segments.length);
        int at = data;
        for (int i = 0; i < segments.length; i++) {
            int ph = phoff + i * phsize;
            b.putInt(ph, 1).putInt(ph + 4, 7).putLong(ph + 8, at).putLong(ph + 16, segments[i][0]).putLong(ph + 24, segments[i][0])
                    .putLong(ph + 32, segments[i][1]).putLong(ph + 40, segments[i][2]).putLong(ph + 48, 4096);
            for (int k = 0; k < segments[i][1]; k++) b.put(at + k, (byte) 0x5a);
            at += (int) segments[i][1];
        }
        return b.array();
    }

    @Test
    void loadsSegmentsAndZeroesTheirTail() {
        PhysicalMemory mem = new PhysicalMemory(RAM, 16L << 20);
        mem.write(RAM + 0x1010, 8, -1L);
        long entry = ElfImage.load(elf(RAM + 0x1000, new long[] {RAM + 0x1000, 16, 32}), mem);
        assertThat(entry).isEqualTo(RAM + 0x1000);
        assertThat(mem.read(RAM + 0x1008, 8)).isEqualTo(0x5a5a5a5a5a5a5a5aL);
        assertThat(mem.read(RAM + 0x1010, 8)).as("bss beyond the file part is zeroed").isZero();
    }

    @Test
    void segmentOutsideRamIsRefusedBeforeAnythingIsCopied() {
        PhysicalMemory mem = new PhysicalMemory(RAM, 16L << 20);
        byte[] image = elf(RAM, new long[] {RAM, 16, 16}, new long[] {0x40000000L, 16, 16});
        assertThatThrownBy(() -> ElfImage.load(image, mem))
                .isInstanceOf(ElfImage.BadImageException.class)
                .hasMessage("ELF load segment 1 (0x40000000, 16 bytes) is outside RAM (0x80000000-0x80ffffff):"
                        + " link the program for this machine or give it more --memory");
        assertThat(mem.read(RAM, 8)).as("the good segment before the bad one was not copied").isZero();
    }

    @Test
    void segmentRunningPastTheEndOfRamIsRefused() {
        PhysicalMemory mem = new PhysicalMemory(RAM, 16L << 20);
        assertThatThrownBy(() -> ElfImage.load(elf(RAM, new long[] {RAM + (16L << 20) - 8, 16, 16}), mem))
                .isInstanceOf(ElfImage.BadImageException.class).hasMessageContaining("is outside RAM");
        assertThatThrownBy(() -> ElfImage.load(elf(RAM, new long[] {-8L, 16, 16}), mem))
                .as("an address that wraps around").isInstanceOf(ElfImage.BadImageException.class).hasMessageContaining("is outside RAM");
    }

    @Test
    void truncatedFileIsRefused() {
        PhysicalMemory mem = new PhysicalMemory(RAM, 16L << 20);
        byte[] full = elf(RAM, new long[] {RAM, 64, 64});
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 10);
        assertThatThrownBy(() -> ElfImage.load(cut, mem)).isInstanceOf(ElfImage.BadImageException.class)
                .hasMessageContaining("lies beyond the end of the");
    }

    @Test
    void commandLineReportsABadImageInOneLineAndFails(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("low.elf");
        Files.write(image, elf(0x1000, new long[] {0x1000, 16, 16}));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--bios", "none", "--memory", "16M", "--kernel", image.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the emulator did not exit").isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(err.lines().toList()).as("stderr: %s", err).containsExactly(
                "slice-emulator: ELF load segment 0 (0x1000, 16 bytes) is outside RAM (0x80000000-0x80ffffff):"
                        + " link the program for this machine or give it more --memory");
        assertThat(p.exitValue()).isEqualTo(Main.EXIT_BAD_INPUT);
    }
}
