package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import dev.slice.emulator.cpu.Hart;
import dev.slice.emulator.memory.PhysicalMemory;
import dev.slice.emulator.sbi.Sbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SBI calls answered in Java, as the kernel makes them: a7 = extension, a6 = function, a0.. = arguments. */
class SbiTest {
    private static final long BASE = 0x10, TIME = 0x54494D45, SRST = 0x53525354, DBCN = 0x4442434E, HSM = 0x48534D;
    private PhysicalMemory mem;
    private Hart hart;
    private BufferSerial console;
    private Sbi sbi;
    private final List<String> power = new ArrayList<>();

    @BeforeEach
    void setUp() {
        mem = new PhysicalMemory(0x80000000L, 1 << 20);
        hart = new Hart(mem, () -> 1000);
        console = new BufferSerial();
        sbi = new Sbi(mem, console, new Sbi.Platform() {
            @Override public void powerOff(int code) { power.add("off " + code); }
            @Override public void reset() { power.add("reset"); }
        });
    }

    private long[] call(long ext, long fid, long... args) {
        hart.setX(17, ext);
        hart.setX(16, fid);
        for (int i = 0; i < args.length; i++) hart.setX(10 + i, args[i]);
        assertThat(sbi.ecall(hart)).isTrue();
        return new long[] {hart.x(10), hart.x(11)};
    }

    @Test
    void baseReportsVersionAndProbesExtensions() {
        assertThat(call(BASE, 0)).containsExactly(0, 2L << 24);
        assertThat(call(BASE, 1)).containsExactly(0, Sbi.IMPLEMENTATION_ID);
        assertThat(call(BASE, 3, TIME)).containsExactly(0, 1);
        assertThat(call(BASE, 3, SRST)).containsExactly(0, 1);
        assertThat(call(BASE, 3, 0x12345678)).containsExactly(0, 0);
        assertThat(call(0x0A000000L, 0)[0]).isEqualTo(-2); // an unknown extension: not supported
    }

    @Test
    void timerDeadlineIsKeptUntilItPasses() {
        call(TIME, 0, 5000);
        assertThat(sbi.timerCompare()).isEqualTo(5000);
    }

    @Test
    void debugConsoleWritesGuestMemoryAndLegacyPutcharWritesOneByte() {
        byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        mem.load(0x80001000L, text, 0, text.length);
        assertThat(call(DBCN, 0, text.length, 0x80001000L, 0)).containsExactly(0, text.length);
        call(0x01, 0, '!');
        assertThat(console.output()).isEqualTo("hello!");
        assertThat(call(DBCN, 0, 4, 0x10L, 0)[0]).isEqualTo(-3); // outside RAM: invalid parameter
    }

    @Test
    void hartStateAndSystemReset() {
        assertThat(call(HSM, 2, 0)).containsExactly(0, 0);   // hart 0 is started
        assertThat(call(HSM, 0, 0)[0]).isEqualTo(-6);         // starting it again: already available
        call(SRST, 0, 0, 0);
        call(SRST, 0, 1, 0);
        assertThat(power).containsExactly("off 0", "reset");
    }
}
