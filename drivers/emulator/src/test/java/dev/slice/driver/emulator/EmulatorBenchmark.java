package dev.slice.driver.emulator;

import dev.slice.driver.GuestId;
import dev.slice.driver.HostContext;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The figures in drivers/emulator/README.md: each round creates and starts one fresh guest (one JVM) and takes
 * the time until its console shows the shell prompt, with the CPU time its cgroup counted; then, after it
 * settles, the PSS of its process and the host CPU the idle guest uses. Last, {@code together} guests run at once
 * to show what each costs beside the others. Arguments: rounds, together, and optionally the emulator jar (with
 * the AOT cache that deploy/emulator/build.sh trained for it).
 */
public final class EmulatorBenchmark {
    private static final long MEMORY_MIB = 128;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int together = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        HostContext base = TestGuests.host();
        HostContext host = args.length > 2
                ? new HostContext(base.dataDir(), Map.of("emulator.jar", args[2]), base.processes()) : base;
        EmulatorDriver driver = new EmulatorDriver(host, Clock.systemUTC());
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        List<Double> boots = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            GuestId id = TestGuests.id("bench");
            try {
                long start = System.nanoTime();
                driver.create(TestGuests.spec(id, MEMORY_MIB));
                driver.start(id);
                awaitPrompt(driver, id, start);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = driver.read(id).cpuTimeNanos() / 1e9;
                Thread.sleep(SETTLE);
                long settled = driver.read(id).cpuTimeNanos();
                Thread.sleep(IDLE_WINDOW);
                double idle = 100.0 * (driver.read(id).cpuTimeNanos() - settled) / IDLE_WINDOW.toNanos();
                long pss = driver.read(id).memoryBytes();
                System.out.printf("round %d: create+start to shell prompt %.2f s (CPU time %.2f s); PSS %d MiB for %d MiB"
                                + " of guest RAM; idle guest uses %.1f%% of a host CPU; load %s%n", round, seconds, cpu,
                        pss >> 20, MEMORY_MIB, idle, Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                boots.add(seconds);
                cpus.add(cpu);
            } finally {
                driver.destroy(id);
            }
        }
        System.out.printf("median over %d rounds: create+start to prompt %.2f s, CPU time %.2f s%n", rounds,
                median(boots), median(cpus));
        List<GuestId> ids = new ArrayList<>();
        try {
            for (int i = 0; i < together; i++) {
                GuestId id = TestGuests.id("bench" + i);
                ids.add(id);
                driver.create(TestGuests.spec(id, MEMORY_MIB));
                driver.start(id);
                awaitPrompt(driver, id, System.nanoTime());
            }
            Thread.sleep(SETTLE);
            long total = 0;
            for (GuestId id : ids) total += driver.read(id).memoryBytes();
            System.out.printf("%d guests of %d MiB at once: PSS %d MiB in all, %d MiB each; load %s", together,
                    MEMORY_MIB, total >> 20, (total / together) >> 20, Files.readString(Path.of("/proc/loadavg")));
        } finally {
            ids.forEach(driver::destroy);
        }
    }

    private static void awaitPrompt(EmulatorDriver driver, GuestId id, long start) {
        try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
            while (true) {
                console.type("\n");
                try {
                    console.await(TestGuests.SHELL_PROMPT, Duration.ofMillis(250));
                    return;
                } catch (AssertionError notYet) {
                    if (System.nanoTime() - start > Duration.ofMinutes(3).toNanos()) throw notYet;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
