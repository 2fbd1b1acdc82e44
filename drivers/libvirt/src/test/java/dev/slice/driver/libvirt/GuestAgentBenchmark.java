package dev.slice.driver.libvirt;

import dev.slice.driver.DriverException;
import dev.slice.driver.GuestId;
import dev.slice.driver.GuestSpec;
import dev.slice.driver.capability.GuestExec.ExecCommand;
import dev.slice.driver.tck.ConsoleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Measures a guest of the benchmark template (debian-12-bench) against the real libvirtd on this host: start ->
 * login prompt on the console and start -> the guest agent's first command (what a report run waits for), then the
 * round trip of one trivial command and the speed of copyIn. Not a test: prints figures for drivers/libvirt/README.md.
 * Run with {@code drivers/libvirt/benchmark.sh} after changing its class, or:
 * {@code java -cp <test classpath> dev.slice.driver.libvirt.GuestAgentBenchmark [runs]}.
 */
public final class GuestAgentBenchmark {
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private GuestAgentBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (LibvirtDriver driver = TestHost.qemuDriver()) {
            System.out.println("probe: " + driver.probe().detail());
            System.out.println("load average before: " + load());
            List<Double> prompt = new ArrayList<>();
            List<Double> agent = new ArrayList<>();
            List<Double> roundTrip = new ArrayList<>();
            List<Double> copyKiBs = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                GuestId id = GuestId.of("agentbench-" + run + "-" + Long.toString(System.nanoTime() % 1_000_000L, 36));
                GuestSpec spec = TestHost.benchSpec(id, 220 + run);
                try {
                    driver.create(spec);
                    long started = System.nanoTime();
                    driver.start(id);
                    try (ConsoleReader console = new ConsoleReader(driver.open(id))) {
                        console.await(Pattern.compile("login: "), Duration.ofSeconds(300));
                    }
                    double toPrompt = seconds(started);
                    awaitAgent(driver, id, started + Duration.ofSeconds(300).toNanos());
                    double toAgent = seconds(started);
                    long t = System.nanoTime();
                    for (int i = 0; i < 10; i++) driver.exec(id, ExecCommand.of(TEN_SECONDS, "true"));
                    double trip = (System.nanoTime() - t) / 1e6 / 10;
                    byte[] content = new byte[1024 * 1024];
                    new Random(run).nextBytes(content);
                    Path file = Files.createTempFile("agent-bench", ".bin");
                    Files.write(file, content);
                    t = System.nanoTime();
                    driver.copyIn(id, file, "/tmp/agent-bench.bin", false);
                    double kibs = 1024 / seconds(t);
                    Files.delete(file);
                    prompt.add(toPrompt);
                    agent.add(toAgent);
                    roundTrip.add(trip);
                    copyKiBs.add(kibs);
                    System.out.printf(Locale.ROOT, "run %d: login prompt %.1f s, agent %.1f s after start; exec round trip %.0f ms;"
                            + " copyIn 1 MiB at %.0f KiB/s (load %s)%n", run, toPrompt, toAgent, trip, kibs, load());
                } finally {
                    driver.destroy(id);
                }
            }
            System.out.printf(Locale.ROOT, "median of %d: login prompt %.1f s, agent %.1f s, exec round trip %.0f ms, copyIn %.0f KiB/s%n",
                    runs, median(prompt), median(agent), median(roundTrip), median(copyKiBs));
            System.out.println("load average after: " + load());
        }
    }

    private static void awaitAgent(LibvirtDriver driver, GuestId id, long deadline) throws InterruptedException {
        while (true) {
            try {
                if (driver.exec(id, ExecCommand.of(TEN_SECONDS, "true")).succeeded()) return;
            } catch (DriverException e) {
                if (System.nanoTime() > deadline) throw e;
            }
            Thread.sleep(100);
        }
    }

    private static double seconds(long since) { return (System.nanoTime() - since) / 1e9; }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
