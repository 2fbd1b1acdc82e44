package dev.slice.driver.uml;

import dev.slice.driver.GuestId;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The numbers in drivers/uml/README.md, for both process modes side by side: each round creates and
 * starts one fresh guest per mode (seccomp, then ptrace) and takes the time until its console shows a
 * login prompt (the template image is already packed, as on a node in service), with the guest's CPU
 * time until then from its cgroup; then, after the guest settles, the memory its processes cost the
 * host (PSS sum), how much of that is not guest RAM, and the host CPU the idle guest uses. Run with the
 * command in the README; argument: number of rounds.
 */
public final class UmlBenchmark {
    private static final long MEMORY_MIB = 256;
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);

    record Sample(double bootSeconds, double cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<UmlSettings.ProcessMode, List<Sample>> samples = new EnumMap<>(UmlSettings.ProcessMode.class);
        System.out.printf("load average before: %s", Files.readString(Path.of("/proc/loadavg")));
        int address = 200;
        for (int round = 1; round <= rounds; round++) {
            for (UmlSettings.ProcessMode mode : List.of(UmlSettings.ProcessMode.SECCOMP, UmlSettings.ProcessMode.PTRACE)) {
                String name = mode.name().toLowerCase(Locale.ROOT);
                UmlDriver driver = TestGuests.driver(Map.of("uml.process-mode", name));
                Sample sample = measure(driver, round, name, address++);
                samples.computeIfAbsent(mode, m -> new ArrayList<>()).add(sample);
            }
        }
        System.out.printf("load average after: %s", Files.readString(Path.of("/proc/loadavg")));
        double seccompBoot = median(samples.get(UmlSettings.ProcessMode.SECCOMP), Sample::bootSeconds);
        double ptraceBoot = median(samples.get(UmlSettings.ProcessMode.PTRACE), Sample::bootSeconds);
        double seccompCpu = median(samples.get(UmlSettings.ProcessMode.SECCOMP), Sample::cpuSeconds);
        double ptraceCpu = median(samples.get(UmlSettings.ProcessMode.PTRACE), Sample::cpuSeconds);
        System.out.printf("median create+start to login prompt over %d rounds: seccomp %.2f s, ptrace %.2f s"
                + " (ptrace/seccomp %.2f); guest CPU time: seccomp %.2f s, ptrace %.2f s (ratio %.2f)%n",
                rounds, seccompBoot, ptraceBoot, ptraceBoot / seccompBoot, seccompCpu, ptraceCpu, ptraceCpu / seccompCpu);
    }

    private static Sample measure(UmlDriver driver, int round, String mode, int address) throws Exception {
        GuestId id = TestGuests.id("bench");
        try {
            long start = System.nanoTime();
            driver.create(TestGuests.spec(id, 1, MEMORY_MIB, address));
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
            long bootCpu = driver.read(id).cpuTimeNanos();
            Thread.sleep(SETTLE);
            long settledCpu = driver.read(id).cpuTimeNanos();
            Thread.sleep(IDLE_WINDOW);
            long idleCpu = driver.read(id).cpuTimeNanos() - settledCpu;
            GuestProcess kernel = GuestProcess.find(driver.guest(id)).orElseThrow();
            long pss = kernel.proportionalSetBytes();
            long guestRam = kernel.guestRamProportionalBytes();
            System.out.printf("round %d %-7s: create+start to login prompt %.2f s (guest CPU time %.2f s); PSS %d MiB"
                            + " (guest RAM part %d MiB, beyond guest RAM %d MiB); host CPU of the idle guest %.1f%%; load %s%n",
                    round, mode, seconds, bootCpu / 1e9, pss >> 20, guestRam >> 20, (pss - guestRam) >> 20,
                    100.0 * idleCpu / IDLE_WINDOW.toNanos(), Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            return new Sample(seconds, bootCpu / 1e9);
        } finally {
            driver.destroy(id);
        }
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> value) {
        List<Double> values = new ArrayList<>(samples.stream().mapToDouble(value).boxed().toList());
        Collections.sort(values);
        return values.get(values.size() / 2);
    }
}
