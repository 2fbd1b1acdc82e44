package dev.slice.emulator;

import dev.slice.emulator.console.BufferSerial;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linux (built with SMP) on two harts with the Java SBI: the kernel starts hart 1 through SBI HSM, both come online,
 * and the shell sees two CPUs; work spread over both (IPIs, remote fences) keeps the system usable.
 */
class SmpLinuxBootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void bootsOnTwoHartsAndTheShellSeesBoth() throws Exception {
        BufferSerial console = new BufferSerial();
        Machine m = new Machine(new Machine.Config(128L << 20,
                Files.readAllBytes(GuestFiles.require("kernel/Image")),
                Files.readAllBytes(GuestFiles.require("initramfs.cpio")),
                null, "console=ttyS0", Machine.Firmware.JAVA_SBI, console, null, 2));
        ExecutorService t = Executors.newSingleThreadExecutor();
        Future<Integer> exit = t.submit(() -> m.run());
        try {
            int pos = await(console, "slice# ", 0);
            assertThat(console.output()).contains("smp: Brought up 1 node, 2 CPUs");
            console.type("nproc; grep -c ^processor /proc/cpuinfo; echo @@$((40+2))@@\n");
            int end = await(console, "@@42@@", pos);
            assertThat(console.output().substring(pos, end).lines().map(String::trim).toList()).as("nproc and cpuinfo")
                    .containsSubsequence("2", "2");
            // processes on both harts at once: migrations and TLB shootdowns go through IPIs and remote fences
            pos = console.output().length();
            console.type("for i in 1 2 3 4; do (n=0; while [ $n -lt 3000 ]; do n=$((n+1)); done; echo done$i) & done; wait; echo @@$((40+3))@@\n");
            int finished = await(console, "@@43@@", pos);
            String out = console.output().substring(pos, finished);
            for (int i = 1; i <= 4; i++) assertThat(out).contains("done" + i);
            console.type("poweroff -f\n");
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        } finally {
            m.stop(1);
            t.shutdownNow();
            m.close();
        }
    }

    private static int await(BufferSerial console, String text, int from) throws InterruptedException {
        int i = console.awaitOutput(text, from, TIMEOUT);
        assertThat(i).as("console output to contain %s; got:%n%s", text, console.output()).isPositive();
        return i;
    }
}
