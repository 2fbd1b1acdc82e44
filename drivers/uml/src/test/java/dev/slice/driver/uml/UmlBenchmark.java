package dev.slice.driver.uml;

import dev.slice.driver.GuestId;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The numbers in drivers/uml/README.md: for each run, a fresh guest is created and started and the
 * time until its console shows a login prompt is taken (the template image is already packed, as on a
 * node in service), with the guest's CPU time until then from its cgroup; then, after the guest settles,
 * the memory its processes cost the host (PSS sum), how much of that is not guest RAM, and the host CPU
 * the idle guest uses. Run with the command in the README; argument: number of runs.
 */
public final class UmlBenchmark {
    private static final long MEMORY_MIB = 256;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(20);

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        UmlDriver driver = TestGuests.driver();
        List<Double> bootSeconds = new ArrayList<>();
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        for (int run = 1; run <= runs; run++) {
            GuestId id = TestGuests.id("bench");
            try {
                long start = System.nanoTime();
                driver.create(TestGuests.spec(id, 1, MEMORY_MIB, 200 + run));
                driver.start(id);
                try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
                    while (true) {
                        console.type("\n");
                        try {
                            console.await(TestGuests.LOGIN_PROMPT, Duration.ofMillis(250));
                            break;
                        } catch (AssertionError notYet) {
                            if (System.nanoTime() - start > Duration.ofMinutes(3).toNanos()) throw notYet;
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                bootSeconds.add(seconds);
                long bootCpu = driver.read(id).cpuTimeNanos();
                Thread.sleep(SETTLE);
                long settledCpu = driver.read(id).cpuTimeNanos();
                Thread.sleep(IDLE_WINDOW);
                long idleCpu = driver.read(id).cpuTimeNanos() - settledCpu;
                GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
                long pss = kernel.proportionalSetBytes();
                long guestRam = kernel.guestRamProportionalBytes();
                System.out.printf("run %d: create+start to login prompt %.2f s (guest CPU time %.2f s); PSS %d MiB"
                                + " (guest RAM part %d MiB, beyond guest RAM %d MiB; PSS minus mem= %d MiB);"
                                + " host CPU of the idle guest %.1f%%%n",
                        run, seconds, bootCpu / 1e9, pss >> 20, guestRam >> 20, (pss - guestRam) >> 20,
                        (pss >> 20) - MEMORY_MIB, 100.0 * idleCpu / IDLE_WINDOW.toNanos());
            } finally {
                driver.destroy(id);
            }
        }
        Collections.sort(bootSeconds);
        System.out.printf("median create+start to login prompt: %.2f s over %d runs (min %.2f, max %.2f)%n",
                bootSeconds.get(bootSeconds.size() / 2), runs, bootSeconds.getFirst(), bootSeconds.getLast());
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
    }
}
