package dev.slice.driver.emulator;

import dev.slice.emulator.Machine;
import dev.slice.emulator.console.BufferSerial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The other design, measured for drivers/emulator/README.md: several guests in one JVM (each machine on threads
 * of its own, as the driver's one-JVM-per-guest processes run them), started one after another like
 * {@link EmulatorBenchmark}'s "at once" guests: the time each takes to its shell prompt, and the PSS of the one
 * process once all run, against the same JVM with no guest. Run by drivers/emulator/benchmark.sh with the
 * launcher's JVM options. Arguments: guests, MiB of RAM each.
 */
public final class SharedJvmBenchmark {
    private static final Duration PROMPT = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        int guests = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long memoryMiB = args.length > 1 ? Long.parseLong(args[1]) : 128;
        Path files = TestGuests.host().dataDir().resolve("emulator");
        byte[] kernel = Files.readAllBytes(files.resolve("kernel/Image"));
        byte[] initrd = Files.readAllBytes(files.resolve("initramfs.cpio"));
        Path work = Files.createTempDirectory("slice-shared-jvm-");
        System.gc();
        long alone = pssKiB();
        System.out.printf("one JVM, no guest yet: PSS %d MiB; load %s", alone >> 10, Files.readString(Path.of("/proc/loadavg")));
        List<Machine> machines = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < guests; i++) {
                Path disk = work.resolve("disk-" + i + ".img");
                Files.copy(files.resolve("disk.img"), disk, StandardCopyOption.REPLACE_EXISTING);
                BufferSerial console = new BufferSerial();
                long start = System.nanoTime();
                Machine machine = new Machine(new Machine.Config(memoryMiB << 20, kernel, initrd, disk,
                        "console=ttyS0", Machine.Firmware.JAVA_SBI, console));
                machines.add(machine);
                Thread thread = Thread.ofPlatform().name("guest-" + i).start(() -> {
                    try {
                        machine.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                threads.add(thread);
                awaitPrompt(console, start);
                System.out.printf("guest %d: start to shell prompt %.2f s; process PSS now %d MiB; load %s", i + 1,
                        (System.nanoTime() - start) / 1e9, pssKiB() >> 10, Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + "\n");
            }
            Thread.sleep(SETTLE);
            long all = pssKiB();
            System.out.printf("%d guests of %d MiB in one JVM: PSS %d MiB in all, %d MiB each, %d MiB each beyond its RAM"
                            + " (the JVM alone: %d MiB); load %s", guests, memoryMiB, all >> 10, (all / guests) >> 10,
                    ((all - guests * (memoryMiB << 10)) / guests) >> 10, alone >> 10, Files.readString(Path.of("/proc/loadavg")));
        } finally {
            machines.forEach(m -> m.stop(0));
            for (Thread thread : threads) thread.join(10_000);
            for (Machine m : machines) m.close();
            GuestDirectory.deleteTree(work);
        }
    }

    private static void awaitPrompt(BufferSerial console, long start) throws InterruptedException {
        while (console.awaitOutput("slice# ", 0, Duration.ofMillis(250)) < 0) {
            if (System.nanoTime() - start > PROMPT.toNanos()) throw new IllegalStateException("no shell prompt: " + console.output());
            console.type("\n");
        }
    }

    private static long pssKiB() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps_rollup"))) {
            if (line.startsWith("Pss:")) return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
        }
        throw new IllegalStateException("no Pss in /proc/self/smaps_rollup");
    }
}
